import { randomInt, randomUUID } from 'node:crypto'
import { type ApiClient, createApiClient } from './api-client.ts'
import type { ReceivedMail, TestSmtpServer } from './smtp.ts'

/** The password of every account the testkit registers. */
export const TEST_PASSWORD = 'correct horse battery staple'

const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'

/** A random 17-character VIN (no I, O or Q, as real ones). */
export function randomVin(): string {
  let vin = ''
  for (let i = 0; i < 17; i++) vin += VIN_ALPHABET[randomInt(VIN_ALPHABET.length)]
  return vin
}

/** An address no other call makes, e.g. `owner-3f2c…@example.com`. */
export function uniqueEmail(name = 'user'): string {
  return `${name}-${randomUUID()}@example.com`
}

/** Tokens and user, as sign-in, a verification link or a sign-up with email off return them. */
export type Session = Pick<
  Extract<Awaited<ReturnType<ApiClient['auth']['login']['mutate']>>, { status: 'signed_in' }>,
  'accessToken' | 'accessTokenExpiresAt' | 'refreshToken' | 'user'
>

/** The session of a sign-up that signed in at once (email off); throws when a link was sent. */
export function requireSignedIn<T extends { status: string }>(
  answer: T,
): Extract<T, { status: 'signed_in' }> {
  if (answer.status !== 'signed_in') {
    throw new Error(
      `expected a session, got ${answer.status} (a link sent, or a second factor asked)`,
    )
  }
  return answer as Extract<T, { status: 'signed_in' }>
}

/** The token in a mail's `#/verify-email` or `#/reset-password` link (from its text part). */
export function readLinkToken(
  mail: ReceivedMail,
  path: '/verify-email' | '/reset-password',
): string {
  const pattern = new RegExp(`#${path}\\?token=([A-Za-z0-9_-]+)`)
  const token = pattern.exec(mail.parsed.text ?? '')?.[1]
  if (!token) throw new Error(`no ${path} link in the mail "${mail.parsed.subject ?? ''}"`)
  return token
}

/**
 * Signs up a new organization's admin. With email off the answer is the session; with email on,
 * the verification mail is read from `smtp`, and its link signs the admin in.
 */
export async function signUp(
  url: string,
  params: { email: string; orgName: string; smtp?: TestSmtpServer | undefined },
): Promise<Session> {
  const client = createApiClient(url)
  const answer = await client.auth.register.mutate({
    email: params.email,
    password: TEST_PASSWORD,
    orgName: params.orgName,
  })
  if (answer.status === 'signed_in' || !params.smtp) return requireSignedIn(answer)
  const mail = await params.smtp.waitFor(
    (m) => m.to.includes(params.email) && (m.parsed.text ?? '').includes('#/verify-email?token='),
  )
  return requireSignedIn(
    await client.auth.verifyEmail.mutate({ token: readLinkToken(mail, '/verify-email') }),
  )
}

export interface FleetOptions {
  orgName?: string
  /** The vehicles' codes, one vehicle each (default: `vehicles` codes `V-1`, `V-2`, …). */
  codes?: readonly string[]
  /** How many vehicles when no codes are given (default 1). */
  vehicles?: number
  /** The server's SMTP test server, when email is on: the admin verifies through its mail. */
  smtp?: TestSmtpServer
}

export interface FleetVehicle {
  id: string
  code: string
  vin: string
  /** The vehicle's one device, linked to the fleet's token. */
  deviceId: string
}

/** A newly registered organization with vehicles, one device token and a device per vehicle. */
export interface Fleet {
  orgId: string
  /** The admin's sign-in; the password is `TEST_PASSWORD`. */
  email: string
  /** Signed in as the organization's admin. */
  api: ApiClient
  /** The admin's sign-in: tokens and user. */
  session: Session
  /** The admin's access token (for WebSocket connectionParams). */
  accessToken: string
  /** The first of `vehicles` (a fleet has at least one). */
  vehicle: FleetVehicle
  vehicles: FleetVehicle[]
  vehicleIds: string[]
  /** One device per vehicle, in the same order, all linked to `token`. */
  deviceIds: string[]
  token: { id: string; secret: string }
}

/**
 * Registers a new organization over tRPC (verifying the admin's address through `smtp` when
 * email is on) and provisions its vehicles, one device token and one
 * device per vehicle linked to both, the way an admin would.
 */
export async function provisionFleet(url: string, options: FleetOptions = {}): Promise<Fleet> {
  const email = uniqueEmail('owner')
  const orgName = options.orgName ?? 'Fleet Test'
  const session = await signUp(url, { email, orgName, smtp: options.smtp })
  const api = createApiClient(url, session.accessToken)
  const token = await api.tokens.create.mutate({ title: `${orgName} trackers` })
  const codes =
    options.codes ?? Array.from({ length: options.vehicles ?? 1 }, (_, i) => `V-${i + 1}`)
  const vehicles: FleetVehicle[] = []
  for (const code of codes) {
    const vehicle = await api.vehicles.create.mutate({ code, vin: randomVin() })
    const device = await api.devices.create.mutate({ vehicleId: vehicle.id, tokenId: token.id })
    vehicles.push({ id: vehicle.id, code: vehicle.code, vin: vehicle.vin, deviceId: device.id })
  }
  const [vehicle] = vehicles
  if (!vehicle) throw new Error('provisionFleet needs at least one vehicle')
  return {
    orgId: session.user.orgId,
    email,
    api,
    session,
    accessToken: session.accessToken,
    vehicle,
    vehicles,
    vehicleIds: vehicles.map((v) => v.id),
    deviceIds: vehicles.map((v) => v.deviceId),
    token: { id: token.id, secret: token.secret },
  }
}
