import { type ApiClient, readAllPages, runInGroups } from './api-client.ts'

/** The simulator's records in an organization: vehicles SIM-00001..., one device each. */
export const VEHICLE_CODE_PREFIX = 'SIM-'
const GROUP_SIZE = 20
const MODELS = [
  ['Ford', 'Transit'],
  ['Mercedes-Benz', 'Sprinter'],
  ['Volkswagen', 'Crafter'],
  ['Renault', 'Master'],
  ['Fiat', 'Ducato'],
  ['Iveco', 'Daily'],
] as const

/** Stable names, so the next run finds the same vehicles: SIM-00001, SIM-00002, ... */
export function buildVehicleCode(index: number): string {
  return `${VEHICLE_CODE_PREFIX}${String(index + 1).padStart(5, '0')}`
}

/** The identifier each simulated vehicle's driver card reports (`driver_id`): SIM-DRV-00001, ... */
export const DRIVER_IDENTIFIER_PREFIX = 'SIM-DRV-'
export function buildDriverIdentifier(index: number): string {
  return `${DRIVER_IDENTIFIER_PREFIX}${String(index + 1).padStart(5, '0')}`
}

const FIRST_NAMES = ['Anna', 'Ben', 'Chiara', 'Dmitri', 'Elif', 'Farid', 'Greta', 'Hugo', 'Ines']
const LAST_NAMES = ['Lindqvist', 'Okafor', 'Moreau', 'Schulz', 'Novak', 'Rossi', 'Kowalski']

/**
 * Finds the simulated drivers by identifier and creates the missing ones: one per vehicle, so
 * every simulated point names its driver and the server assigns it (drivers page, reports).
 */
export async function ensureDrivers(api: ApiClient, count: number): Promise<string[]> {
  const existing = await readAllPages((cursor) =>
    api.drivers.list.query({ search: DRIVER_IDENTIFIER_PREFIX, limit: 100, cursor }),
  )
  const known = new Set(existing.map((driver) => driver.identifier))
  const indexes = Array.from({ length: count }, (_, i) => i)
  const missing = indexes.filter((i) => !known.has(buildDriverIdentifier(i)))
  await runInGroups(missing, GROUP_SIZE, async (i) => {
    const first = FIRST_NAMES[i % FIRST_NAMES.length] ?? 'Driver'
    const last = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length] ?? ''
    await api.drivers.create
      .mutate({
        name: `${first} ${last} ${i + 1}`,
        identifier: buildDriverIdentifier(i),
        note: 'Simulated by apps/device-sim',
      })
      .catch((error: unknown) => {
        throw new Error(`cannot create driver ${i + 1}: ${(error as Error).message}`)
      })
  })
  return indexes.map(buildDriverIdentifier)
}

/** A valid, stable VIN per vehicle (17 characters, no I, O or Q). */
export function buildVehicleVin(index: number): string {
  return `FMSSM${String(index + 1).padStart(12, '0')}`
}

/** Finds SIM-xxxxx vehicles by code and creates the missing ones; ids in fleet order. */
export async function ensureVehicles(api: ApiClient, count: number) {
  const existing = await readAllPages((cursor) =>
    api.vehicles.list.query({ search: VEHICLE_CODE_PREFIX, limit: 100, cursor }),
  )
  const byCode = new Map(existing.map((vehicle) => [vehicle.code, vehicle.id]))
  const indexes = Array.from({ length: count }, (_, i) => i)
  const missing = indexes.filter((i) => !byCode.has(buildVehicleCode(i)))
  await runInGroups(missing, GROUP_SIZE, async (i) => {
    const [manufacturer, model] = MODELS[i % MODELS.length] ?? MODELS[0]
    const code = buildVehicleCode(i)
    const vehicle = await api.vehicles.create
      .mutate({
        code,
        vin: buildVehicleVin(i),
        manufacturer,
        model,
        makeYear: 2016 + (i % 9),
        type: 'van',
        description: 'Simulated by apps/device-sim',
      })
      .catch((error: unknown) => {
        throw new Error(`cannot create vehicle ${code}: ${(error as Error).message}`)
      })
    byCode.set(vehicle.code, vehicle.id)
  })
  return {
    vehicleIds: indexes.map((i) => byCode.get(buildVehicleCode(i)) as string),
    created: missing.length,
  }
}

export interface DevicePlan {
  vehicleIds: readonly string[]
  /** The existing device of each vehicle (found by externalId = vehicle code), or null. */
  devices: ({ id: string; isLinked: boolean } | null)[]
  /** Nothing to create or relink: every device is active on its vehicle and the token. */
  isUpToDate: boolean
}

/** Compares the organization's devices with one active device per vehicle, linked to `tokenId`. */
export async function planDevices(
  api: ApiClient,
  vehicleIds: readonly string[],
  tokenId: string | null,
): Promise<DevicePlan> {
  const existing = await readAllPages((cursor) => api.devices.list.query({ limit: 100, cursor }))
  const byExternalId = new Map(existing.map((device) => [device.externalId, device]))
  const devices = vehicleIds.map((vehicleId, i) => {
    const device = byExternalId.get(buildVehicleCode(i))
    if (!device) return null
    const isLinked =
      device.vehicleId === vehicleId && device.tokenId === tokenId && device.status === 'active'
    return { id: device.id, isLinked }
  })
  return { vehicleIds, devices, isUpToDate: devices.every((d) => d?.isLinked) }
}

/** Creates and relinks devices as planned; returns the device ids in fleet order. */
export async function applyDevicePlan(api: ApiClient, plan: DevicePlan, tokenId: string) {
  let created = 0
  const deviceIds = await runInGroups(
    plan.vehicleIds.map((vehicleId, i) => ({ vehicleId, i })),
    GROUP_SIZE,
    async ({ vehicleId, i }) => {
      const device = plan.devices[i]
      if (!device) {
        created++
        const externalId = buildVehicleCode(i)
        const fields = { externalId, vehicleId, tokenId, model: 'fms-sim', swVersion: '0.1.0' }
        return (await api.devices.create.mutate(fields)).id
      }
      // Relinked whenever the token changes too: a fresh token then serves every device.
      await api.devices.update.mutate({ id: device.id, vehicleId, tokenId, status: 'active' })
      return device.id
    },
  )
  return { deviceIds, created }
}
