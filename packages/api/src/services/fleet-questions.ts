import { findLastMovingTimes, findLatestVehicleStates } from '@fms/db/queries/telemetry'
import type { VehicleScope } from '@fms/db/queries/vehicle-scope'
import { findDrivingSessions } from '@fms/engine'
import type { DbDeps } from '../context.ts'
import { buildTripsReport, type TripRow } from './reports.ts'

/** Below this a vehicle counts as standing still (km/h), as in the trips detection. */
export const STATIONARY_MAX_KMH = 3
/** How far back "last moved" is looked for. */
const LAST_MOVED_WITHIN_DAYS = 7

/** Vehicles whose last reported fuel level is under `threshold` percent, lowest first. */
export async function findLowFuelVehicles(deps: DbDeps, scope: VehicleScope, threshold: number) {
  const states = await findLatestVehicleStates(deps.db, scope)
  return states
    .filter((s) => s.fuel !== null && s.fuel < threshold)
    .sort((a, b) => (a.fuel ?? 0) - (b.fuel ?? 0))
    .map((s) => ({ vehicleId: s.vehicleId, code: s.code, fuel: s.fuel, time: s.time }))
}

/**
 * Vehicles standing still for at least `minMinutes`: their last point is slower than
 * STATIONARY_MAX_KMH and they last moved that long ago (or not within the last 7 days).
 */
export async function findStationaryVehicles(
  deps: DbDeps,
  scope: VehicleScope,
  minMinutes: number,
) {
  const { orgId } = scope
  const [states, movedAt] = await Promise.all([
    findLatestVehicleStates(deps.db, scope),
    findLastMovingTimes(deps.db, {
      orgId,
      movingKmh: STATIONARY_MAX_KMH,
      withinDays: LAST_MOVED_WITHIN_DAYS,
    }),
  ])
  const cutoff = Date.now() - minMinutes * 60_000
  return states
    .filter((s) => s.time !== null && (s.speed ?? 0) < STATIONARY_MAX_KMH)
    .map((s) => ({
      vehicleId: s.vehicleId,
      code: s.code,
      lat: s.lat,
      lon: s.lon,
      lastMovedAt: movedAt.get(s.vehicleId) ?? null,
    }))
    .filter((s) => s.lastMovedAt === null || s.lastMovedAt.getTime() <= cutoff)
    .sort((a, b) => (a.lastMovedAt?.getTime() ?? 0) - (b.lastMovedAt?.getTime() ?? 0))
}

/**
 * Vehicles with a driving session (trips joined across breaks shorter than 20 min) of at least
 * `minHours` in the last `withinHours`.
 */
export async function findLongDrivingSessions(
  deps: DbDeps,
  scope: VehicleScope,
  params: { minHours: number; withinHours: number },
) {
  const to = new Date()
  const from = new Date(to.getTime() - params.withinHours * 3_600_000)
  const { trips } = await buildTripsReport(deps, scope, { from, to })
  // Each vehicle's code is taken from its first trip.
  const byVehicle = new Map<string, { code: string; vehicleTrips: TripRow[] }>()
  for (const trip of trips) {
    const group = byVehicle.get(trip.vehicleId)
    if (group) group.vehicleTrips.push(trip)
    else byVehicle.set(trip.vehicleId, { code: trip.vehicleCode, vehicleTrips: [trip] })
  }
  const result: { vehicleId: string; code: string; start: Date; end: Date; drivingSec: number }[] =
    []
  for (const [vehicleId, { code, vehicleTrips }] of byVehicle) {
    for (const session of findDrivingSessions(vehicleTrips)) {
      if (session.end - session.start >= params.minHours * 3_600_000) {
        result.push({
          vehicleId,
          code,
          start: new Date(session.start),
          end: new Date(session.end),
          drivingSec: session.drivingSec,
        })
      }
    }
  }
  return result.sort(
    (a, b) => b.end.getTime() - b.start.getTime() - (a.end.getTime() - a.start.getTime()),
  )
}
