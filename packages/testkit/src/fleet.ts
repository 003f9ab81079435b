import { randomInt, randomUUID } from 'node:crypto'
import { type ApiClient, createApiClient } from './api-client.ts'

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

type Session = Awaited<ReturnType<ApiClient['auth']['register']['mutate']>>

export interface FleetOptions {
  orgName?: string
  /** The vehicles' codes, one vehicle each (default: `vehicles` codes `V-1`, `V-2`, …). */
  codes?: readonly string[]
  /** How many vehicles when no codes are given (default 1). */
  vehicles?: number
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
  /** The admin's registration answer: tokens and user. */
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
 * Registers a new organization over tRPC and provisions its vehicles, one device token and one
 * device per vehicle linked to both, the way an admin would.
 */
export async function provisionFleet(url: string, options: FleetOptions = {}): Promise<Fleet> {
  const email = uniqueEmail('owner')
  const orgName = options.orgName ?? 'Fleet Test'
  const session = await createApiClient(url).auth.register.mutate({
    email,
    password: TEST_PASSWORD,
    orgName,
  })
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
