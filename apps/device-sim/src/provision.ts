import { type ApiClient, createApiClient, readAllPages, readErrorCode } from './api-client.ts'
import {
  applyDevicePlan,
  buildVehicleCode,
  ensureDrivers,
  ensureVehicles,
  planDevices,
} from './fleet-records.ts'
import { readState, type TSimState, writeState } from './state-file.ts'
import { postTelemetry } from './transport.ts'

export class ProvisionError extends Error {
  override name = 'ProvisionError'
}

export interface ProvisionedFleet {
  orgId: string
  token: string
  deviceIds: string[]
  vehicleIds: string[]
  /** Each vehicle's driver identifier (its points' `driver_id`), in fleet order. */
  driverIdentifiers: string[]
  isTokenReused: boolean
  createdVehicles: number
  createdDevices: number
}

async function signIn(server: string, email: string, password: string) {
  let answer: Awaited<ReturnType<ApiClient['auth']['login']['mutate']>>
  try {
    answer = await createApiClient(server).auth.login.mutate({ email, password })
  } catch (error) {
    if (readErrorCode(error) === 'UNAUTHORIZED') {
      throw new ProvisionError(`sign-in refused for ${email}: wrong email or password`)
    }
    throw new ProvisionError(`cannot sign in at ${server}: ${(error as Error).message}`)
  }
  if (answer.status !== 'signed_in') {
    throw new ProvisionError(
      `${email} signs in with a second factor; provision with an admin account without one`,
    )
  }
  const session = answer
  if (session.user.role !== 'admin') {
    throw new ProvisionError(
      `${email} is not an admin of ${session.user.orgName}; provisioning needs one`,
    )
  }
  return { api: createApiClient(server, session.accessToken), orgId: session.user.orgId }
}

/** The saved token, if it still exists unrevoked (checked without posting with it). */
async function findSavedToken(api: ApiClient, saved: TSimState | null) {
  if (!saved) return null
  const tokens = await readAllPages((cursor) => api.tokens.list.query({ limit: 100, cursor }))
  return tokens.some((token) => token.id === saved.token.id) ? saved.token : null
}

/** Does the token post? (An empty batch: 200 for a good token, 401 for a bad one.) */
async function isTokenWorking(server: string, secret: string): Promise<boolean> {
  const outcome = await postTelemetry({ server, token: secret, points: [], timeoutMs: 10_000 })
  if (outcome.kind === 'delivered') return true
  if (outcome.kind === 'fatal' && outcome.status === 401) return false
  const reason = 'reason' in outcome ? outcome.reason : outcome.kind
  throw new ProvisionError(`cannot check the device token: ${reason}`)
}

/**
 * Makes sure the organization of `email` has `vehicles` simulated vehicles, each with an active
 * device linked to one device token, reusing what earlier runs created. The saved token is
 * reused only when no device had to be created or relinked: the server caches a token's device
 * list for a few seconds, so a new device of an old token would see its first points refused.
 * Otherwise a fresh token serves every device and the old one is revoked.
 */
export async function provisionFleet(input: {
  server: string
  email: string
  password: string
  vehicles: number
  statePath: string
}): Promise<ProvisionedFleet> {
  const { api, orgId } = await signIn(input.server, input.email, input.password)
  const saved = await readState(input.statePath)
  const savedToken = await findSavedToken(
    api,
    saved?.server === input.server && saved.orgId === orgId ? saved : null,
  )
  const vehicles = await ensureVehicles(api, input.vehicles)
  const driverIdentifiers = await ensureDrivers(api, input.vehicles)
  const plan = await planDevices(api, vehicles.vehicleIds, savedToken?.id ?? null)
  let token = savedToken
  let createdDevices = 0
  let deviceIds = plan.devices.map((device) => device?.id ?? '')
  const isReusable =
    token !== null && plan.isUpToDate && (await isTokenWorking(input.server, token.secret))
  if (!isReusable) {
    const fresh = await api.tokens.create.mutate({
      title: 'fms-sim',
      description: 'Device simulator (apps/device-sim); the secret is in its state file',
    })
    ;({ deviceIds, created: createdDevices } = await applyDevicePlan(api, plan, fresh.id))
    if (token) await api.tokens.revoke.mutate({ id: token.id }).catch(() => {})
    token = { id: fresh.id, secret: fresh.secret }
  }
  if (!token) throw new ProvisionError('no device token')
  await writeState(input.statePath, {
    version: 1,
    server: input.server,
    email: input.email,
    orgId,
    token,
    vehicles: vehicles.vehicleIds.map((vehicleId, i) => ({
      code: buildVehicleCode(i),
      vehicleId,
      deviceId: deviceIds[i] as string,
    })),
  })
  return {
    orgId,
    token: token.secret,
    deviceIds,
    vehicleIds: vehicles.vehicleIds,
    driverIdentifiers,
    isTokenReused: isReusable,
    createdVehicles: vehicles.created,
    createdDevices,
  }
}
