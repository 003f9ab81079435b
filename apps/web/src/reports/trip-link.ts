import { MAX_RANGE_MS, vehicleHref } from '../lib/hash-route'

/** Shown before a trip's start and after its end, so the replay starts and ends at rest. */
export const TRIP_MARGIN_MS = 60_000

/** The vehicle page link showing one trip: its range plus a minute each side (capped to the limit). */
export function formatTripLink(trip: { vehicleId: string; start: number; end: number }): string {
  const from = Math.max(0, trip.start - TRIP_MARGIN_MS)
  const to = Math.min(Math.max(trip.end, trip.start) + TRIP_MARGIN_MS, from + MAX_RANGE_MS)
  return vehicleHref(trip.vehicleId, { from, to })
}
