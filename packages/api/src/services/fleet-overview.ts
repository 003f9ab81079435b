import { summarizeOrgActivity } from '@fms/db/queries/activity-totals'
import { countAlertsByKind } from '@fms/db/queries/alerts'
import type { VehicleScope } from '@fms/db/queries/vehicle-scope'
import { listDays, RULE_KINDS, type RuleKind } from '@fms/engine'
import type { DbDeps } from '../context.ts'
import type { TFleetOverviewInput } from '../schemas/reports.ts'
import { catchUpOrgActivity } from './activity.ts'

const RULE_KIND_SET = new Set<string>(RULE_KINDS)

/** Kilometres to the metre and seconds to the tenth, as the daily report rounds them. */
function round(value: number, digits: number): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

/**
 * One day of the organization's whole fleet: distance, driving and idle time, trips, the vehicles
 * that reported, the alerts that started, and the vehicles that drove farthest. Sums of the same
 * activity buckets and alerts as `reports.daily`, so the figures agree with the day's report;
 * but grouped in the database over the organization, so it answers for any size of fleet.
 */
export async function buildFleetOverview(
  deps: DbDeps,
  scope: VehicleScope,
  input: TFleetOverviewInput,
) {
  const { orgId } = scope
  const isUpToDate = await catchUpOrgActivity(deps.db, orgId)
  const [day] = listDays(input.day, input.day, input.timeZone)
  // The input schema only lets calendar dates through.
  if (!day) throw new Error(`Not a calendar date: ${input.day}`)
  const { totals, topVehicles } = await summarizeOrgActivity(deps.db, {
    orgId,
    scope,
    from: day.start,
    to: day.end,
    topCount: input.topCount,
  })
  const alertCounts = Object.fromEntries(RULE_KINDS.map((kind) => [kind, 0])) as Record<
    RuleKind,
    number
  >
  let alertCount = 0
  const alertRows = await countAlertsByKind(deps.db, {
    orgId,
    scope,
    from: new Date(day.start),
    to: new Date(day.end),
  })
  for (const row of alertRows) {
    alertCount += row.count
    if (RULE_KIND_SET.has(row.kind)) alertCounts[row.kind as RuleKind] += row.count
  }
  return {
    day: input.day,
    timeZone: input.timeZone,
    start: new Date(day.start),
    end: new Date(day.end),
    isUpToDate,
    distanceKm: round(totals.distanceKm, 3),
    drivingSec: round(totals.drivingSec, 1),
    idleSec: round(totals.idleSec, 1),
    tripCount: totals.tripCount,
    reportingVehicleCount: totals.reportingVehicleCount,
    alertCount,
    alertCounts,
    topVehicles: topVehicles.map((vehicle) => ({
      ...vehicle,
      distanceKm: round(vehicle.distanceKm, 3),
      drivingSec: round(vehicle.drivingSec, 1),
    })),
  }
}
