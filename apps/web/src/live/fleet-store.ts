import type { LivePoint } from '@fms/api'
import type { RouterOutputs } from '../trpc'

export type TLatestVehicle = RouterOutputs['telemetry']['latest']['vehicles'][number]

/** One vehicle as the live views show it: its last known readings, time in epoch ms. */
export type TFleetVehicle = Omit<TLatestVehicle, 'time' | 'status' | 'deviceId' | 'pointStatus'> & {
  time: number | null
}

const READINGS = [
  'lat',
  'lon',
  'speed',
  'heading',
  'rpm',
  'fuel',
  'coolantTemp',
  'engineLoad',
  'odometer',
  'ignition',
] as const

/** Natural order of codes (V-2 before V-10); one collator is far cheaper than localeCompare. */
const CODE_ORDER = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

export type TFleetStore = ReturnType<typeof createFleetStore>

/**
 * The organization's vehicles and their latest readings, fed by `telemetry.latest` snapshots and
 * `telemetry.live` frames. Views read it imperatively (the map, per animation frame) or through
 * `subscribe` + `getVersion`; an updated vehicle is a new object, an unchanged one keeps its identity.
 */
export function createFleetStore() {
  const vehicles = new Map<string, TFleetVehicle>()
  const listeners = new Set<() => void>()
  let version = 0
  let sorted: { version: number; items: TFleetVehicle[] } | null = null
  /** Vehicle ids by code: changes only with the set of vehicles (live points never reorder). */
  let order: string[] | null = null

  function notify() {
    version += 1
    for (const listener of listeners) listener()
  }

  return {
    /**
     * Takes a snapshot as the set of vehicles; a vehicle's live readings that are newer than the
     * snapshot's (frames that arrived while it was loading) are kept.
     */
    replaceAll(rows: readonly TLatestVehicle[]) {
      const next = new Map<string, TFleetVehicle>()
      for (const row of rows) {
        const held = vehicles.get(row.vehicleId)
        const fromSnapshot = toFleetVehicle(row)
        const isHeldNewer = held?.time != null && (fromSnapshot.time ?? 0) < held.time
        next.set(
          row.vehicleId,
          isHeldNewer ? { ...held, code: row.code, plate: row.plate } : fromSnapshot,
        )
      }
      vehicles.clear()
      for (const [id, vehicle] of next) vehicles.set(id, vehicle)
      order = null
      notify()
    },
    /**
     * Merges live points (latest point per vehicle; older ones are ignored). A reading a point
     * leaves out keeps its last known value. `unknown` counts points of vehicles not in the store
     * (created since the snapshot): the caller should take a new snapshot.
     */
    applyPoints(points: readonly LivePoint[]): { changed: number; unknown: number } {
      let changed = 0
      let unknown = 0
      for (const point of points) {
        if (point.vehicleId === null) continue
        const held = vehicles.get(point.vehicleId)
        if (!held) {
          unknown += 1
          continue
        }
        if (held.time !== null && point.time < held.time) continue
        vehicles.set(point.vehicleId, mergePoint(held, point))
        changed += 1
      }
      if (changed > 0) notify()
      return { changed, unknown }
    },
    get: (vehicleId: string): TFleetVehicle | undefined => vehicles.get(vehicleId),
    /** Every vehicle, unordered, without copying: for the map's per-frame drawing. */
    values: (): IterableIterator<TFleetVehicle> => vehicles.values(),
    /**
     * Every vehicle sorted by code (naturally); the same array until something changes. The
     * order is sorted again only when the set of vehicles changes: a live frame costs one pass.
     */
    getSorted(): TFleetVehicle[] {
      if (sorted?.version !== version) {
        order ??= [...vehicles.values()]
          .sort((a, b) => CODE_ORDER.compare(a.code, b.code))
          .map((vehicle) => vehicle.vehicleId)
        const items: TFleetVehicle[] = []
        for (const id of order) {
          const vehicle = vehicles.get(id)
          if (vehicle) items.push(vehicle)
        }
        sorted = { version, items }
      }
      return sorted.items
    },
    get size() {
      return vehicles.size
    },
    getVersion: () => version,
    subscribe(listener: () => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

function toFleetVehicle(row: TLatestVehicle): TFleetVehicle {
  const { time, status: _status, deviceId: _deviceId, pointStatus: _pointStatus, ...rest } = row
  return { ...rest, time: time === null ? null : time.getTime() }
}

function mergePoint(held: TFleetVehicle, point: LivePoint): TFleetVehicle {
  const next: TFleetVehicle = { ...held, time: point.time }
  for (const key of READINGS) {
    const value = point[key]
    if (value !== null) (next as Record<string, unknown>)[key] = value
  }
  return next
}
