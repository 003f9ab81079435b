import { randomInt, randomUUID } from 'node:crypto'
import type { AppRouter } from '@fms/api'
import { createTRPCClient, httpLink } from '@trpc/client'
import superjson from 'superjson'

/** A tRPC client over HTTP to a running server, optionally signed in. */
export function createApiClient(url: string, accessToken?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/trpc`,
        transformer: superjson,
        headers: () => (accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
      }),
    ],
  })
}

export type ApiClient = ReturnType<typeof createApiClient>

/** A newly registered organization with vehicles, one device token and a device per vehicle. */
export interface Fleet {
  orgId: string
  /** Signed in as the organization's admin. */
  api: ApiClient
  /** The admin's access token (for WebSocket connectionParams). */
  accessToken: string
  vehicleIds: string[]
  /** One device per vehicle, in the same order, all linked to `token`. */
  deviceIds: string[]
  token: { id: string; secret: string }
}

const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'

function randomVin(): string {
  let vin = ''
  for (let i = 0; i < 17; i++) vin += VIN_ALPHABET[randomInt(VIN_ALPHABET.length)]
  return vin
}

/**
 * Registers a new organization over tRPC and provisions `vehicles` vehicles, one device token and
 * one device per vehicle linked to both, the way an admin would.
 */
export async function provisionFleet(url: string, options: { vehicles?: number } = {}) {
  const session = await createApiClient(url).auth.register.mutate({
    email: `fleet-${randomUUID()}@example.com`,
    password: 'correct horse battery',
    orgName: 'Fleet Test',
  })
  const api = createApiClient(url, session.accessToken)
  const token = await api.tokens.create.mutate({ title: 'Trackers' })
  const vehicleIds: string[] = []
  const deviceIds: string[] = []
  for (let i = 0; i < (options.vehicles ?? 1); i++) {
    const vehicle = await api.vehicles.create.mutate({ code: `V-${i + 1}`, vin: randomVin() })
    const device = await api.devices.create.mutate({ vehicleId: vehicle.id, tokenId: token.id })
    vehicleIds.push(vehicle.id)
    deviceIds.push(device.id)
  }
  return {
    orgId: session.user.orgId,
    api,
    accessToken: session.accessToken,
    vehicleIds,
    deviceIds,
    token: { id: token.id, secret: token.secret },
  } satisfies Fleet
}
