import type { TFleetVehicle } from '../live/fleet-store'
import { classifyVehicleStatus, type TVehicleStatus } from '../live/vehicle-status'

export type TStatusFilter = TVehicleStatus | 'all'

export interface TVehicleFilter {
  search: string
  status: TStatusFilter
  /** The vehicles of the chosen group; null or absent for every vehicle. */
  groupVehicleIds?: ReadonlySet<string> | null
}

/**
 * Vehicles whose code or plate contains `search` (any case), whose status matches and that are
 * in the chosen group.
 */
export function filterVehicles(
  vehicles: readonly TFleetVehicle[],
  filter: TVehicleFilter,
  now: number,
): TFleetVehicle[] {
  const needle = filter.search.trim().toLowerCase()
  const inGroup = filter.groupVehicleIds
  return vehicles.filter((vehicle) => {
    if (inGroup && !inGroup.has(vehicle.vehicleId)) return false
    if (filter.status !== 'all' && classifyVehicleStatus(vehicle, now) !== filter.status) {
      return false
    }
    if (!needle) return true
    return (
      vehicle.code.toLowerCase().includes(needle) ||
      (vehicle.plate?.toLowerCase().includes(needle) ?? false)
    )
  })
}

export function countByStatus(
  vehicles: Iterable<TFleetVehicle>,
  now: number,
): Record<TVehicleStatus, number> {
  const counts = { moving: 0, idle: 0, offline: 0 }
  for (const vehicle of vehicles) counts[classifyVehicleStatus(vehicle, now)] += 1
  return counts
}

/** The rows of a fixed-row-height list that are (about to be) visible. */
export function findVisibleRows(params: {
  scrollTop: number
  viewportHeight: number
  rowHeight: number
  count: number
  overscan?: number
}): { start: number; end: number } {
  const overscan = params.overscan ?? 5
  const first = Math.min(params.count, Math.floor(Math.max(0, params.scrollTop) / params.rowHeight))
  const visible = Math.ceil(params.viewportHeight / params.rowHeight) + 1
  return {
    start: Math.max(0, first - overscan),
    end: Math.min(params.count, first + visible + overscan),
  }
}
