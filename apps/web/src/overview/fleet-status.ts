import { formatCount } from '../lib/format'
import { STATUS_LABELS, type TVehicleStatus, VEHICLE_STATUS_LIST } from '../live/vehicle-status'

export type TStatusCounts = Record<TVehicleStatus, number>

/** "2 moving, 1 idle, 3 offline of 6 vehicles"; "No vehicles" for an empty fleet. */
export function describeStatusCounts(counts: TStatusCounts): string {
  const total = VEHICLE_STATUS_LIST.reduce((sum, status) => sum + counts[status], 0)
  if (total === 0) return 'No vehicles'
  const parts = VEHICLE_STATUS_LIST.map(
    (status) => `${formatCount(counts[status])} ${STATUS_LABELS[status].toLowerCase()}`,
  )
  return `${parts.join(', ')} of ${formatCount(total)} ${total === 1 ? 'vehicle' : 'vehicles'}`
}

export interface TStatusSegment {
  status: TVehicleStatus
  x: number
  width: number
}

/**
 * One bar of `width` split by status, in VEHICLE_STATUS_LIST order, each part as wide as its
 * share of the fleet (statuses with no vehicles left out).
 */
export function placeStatusSegments(counts: TStatusCounts, width: number): TStatusSegment[] {
  const total = VEHICLE_STATUS_LIST.reduce((sum, status) => sum + counts[status], 0)
  if (total === 0) return []
  const segments: TStatusSegment[] = []
  let x = 0
  for (const status of VEHICLE_STATUS_LIST) {
    if (counts[status] === 0) continue
    const segmentWidth = (counts[status] / total) * width
    segments.push({ status, x, width: segmentWidth })
    x += segmentWidth
  }
  return segments
}
