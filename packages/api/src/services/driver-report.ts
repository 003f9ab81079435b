import { findAlertStarts, findDriverNames, listAssignments } from '@fms/db/queries/drivers'
import { findEnabledRules } from '@fms/db/queries/rules'
import { findVehiclePointsSince } from '@fms/db/queries/telemetry'
import { filterToScope, type VehicleScope } from '@fms/db/queries/vehicle-scope'
import {
  addDays,
  addMeasures,
  createMeasures,
  type DriverScore,
  type DrivingMeasures,
  detectTrips,
  findDayStart,
  formatLocalDate,
  measureDriving,
  REPORT_MARGIN_MS,
  resolveVehicleRules,
  scoreDriving,
} from '@fms/engine'
import type { DbDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import type { TDriversReportInput } from '../schemas/index.ts'
import { toRuleConfig } from './alert-rows.ts'
import { findOrgDriver, findOrgScoreWeights } from './drivers.ts'

/** Stints one report reads at most: beyond it, ask for a shorter range or one driver. */
const REPORT_MAX_STINTS = 20_000

export interface DriverWeek {
  /** The week's Monday, YYYY-MM-DD, in the report's time zone. */
  week: string
  distanceKm: number
  drivingSec: number
  score: number | null
}

export interface DriverReportRow extends DriverScore {
  /** Null: an identifier no driver carries (`identifier` says which). */
  driverId: string | null
  driverName: string | null
  identifier: string | null
  distanceKm: number
  drivingSec: number
  idleSec: number
  tripCount: number
  alertCounts: Record<string, number>
  measures: DrivingMeasures
  weeks: DriverWeek[]
}

/** The Monday starting the local week of `time`. */
function findWeek(time: number, timeZone: string): string {
  const date = formatLocalDate(time, timeZone)
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7
  return addDays(date, -weekday)
}

/** [from, to) cut at local Monday midnights: each piece with its week. */
function splitByWeek(from: number, to: number, timeZone: string) {
  const pieces: { week: string; from: number; to: number }[] = []
  let start = from
  while (start < to) {
    const week = findWeek(start, timeZone)
    const end = Math.min(to, findDayStart(addDays(week, 7), timeZone))
    pieces.push({ week, from: start, to: end })
    start = end
  }
  return pieces
}

function round(value: number, digits: number) {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

/**
 * Per driver over [from, to): distance, driving time, trips and alerts of the times it drove
 * (its stints, clipped to the range), and its score with the breakdown, overall and per week.
 * Each vehicle's points are read once for all of its stints; every figure comes from the engine
 * functions the live path uses. Identifiers no driver carries appear as drivers without an id.
 */
export async function buildDriversReport(
  deps: DbDeps,
  scope: VehicleScope,
  input: TDriversReportInput,
) {
  const { orgId } = scope
  if (input.driverId) await findOrgDriver(deps, orgId, input.driverId)
  const from = input.from.getTime()
  const to = input.to.getTime()
  const stints = await listAssignments(deps.db, {
    orgId,
    driverId: input.driverId,
    from: input.from,
    to: input.to,
    limit: REPORT_MAX_STINTS + 1,
  })
  if (stints.length > REPORT_MAX_STINTS) {
    throw new AppError(
      'BAD_REQUEST',
      'Too many assignments in this range: ask for fewer days or one driver',
    )
  }
  const [weights, rules, names] = await Promise.all([
    findOrgScoreWeights(deps, orgId),
    findEnabledRules(deps.db, orgId),
    findDriverNames(deps.db, { orgId }),
  ])
  const ruleConfigs = rules.map(toRuleConfig)
  // A group-limited user's report counts the driving of their vehicles only.
  const vehicleIds = filterToScope(scope, [...new Set(stints.map((s) => s.vehicleId))])
  const alerts = await findAlertStarts(deps.db, {
    orgId,
    vehicleIds,
    from: input.from,
    to: input.to,
  })
  const rows = new Map<string, DriverReportRow & { weekMeasures: Map<string, DrivingMeasures> }>()
  const rowOf = (driverId: string | null, identifier: string | null) => {
    const key = driverId ?? `?${identifier}`
    let row = rows.get(key)
    if (!row) {
      const driver = driverId ? names.find((n) => n.id === driverId) : undefined
      row = {
        driverId,
        driverName: driver?.name ?? null,
        identifier: driver ? driver.identifier : identifier,
        distanceKm: 0,
        drivingSec: 0,
        idleSec: 0,
        tripCount: 0,
        alertCounts: {},
        measures: createMeasures(),
        weeks: [],
        score: null,
        breakdown: [],
        weekMeasures: new Map(),
      }
      rows.set(key, row)
    }
    return row
  }
  for (const vehicleId of vehicleIds) {
    const own = stints.filter((s) => s.vehicleId === vehicleId)
    const first = Math.max(from, Math.min(...own.map((s) => s.from.getTime())))
    const last = Math.min(to, Math.max(...own.map((s) => s.to?.getTime() ?? to)))
    const points = await findVehiclePointsSince(deps.db, {
      orgId,
      vehicleId,
      from: new Date(first - REPORT_MARGIN_MS - 1),
      to: new Date(last + REPORT_MARGIN_MS),
    })
    const resolved = resolveVehicleRules(ruleConfigs, vehicleId)
    const options = {
      speedLimitKmh: resolved.find((r) => r.kind === 'overspeed')?.threshold,
      harshThreshold: resolved.find((r) => r.kind === 'harsh')?.threshold,
      timeZone: input.timeZone,
    }
    const trips = detectTrips(points).trips
    const vehicleAlerts = alerts.filter((a) => a.vehicleId === vehicleId)
    for (const stint of own) {
      const start = Math.max(from, stint.from.getTime())
      const end = Math.min(to, stint.to?.getTime() ?? to)
      if (start >= end) continue
      const row = rowOf(stint.driverId, stint.identifier)
      const inStint = (time: number) => time >= start && time < end
      row.tripCount += trips.filter((trip) => inStint(trip.start)).length
      for (const alert of vehicleAlerts) {
        if (inStint(alert.time))
          row.alertCounts[alert.kind] = (row.alertCounts[alert.kind] ?? 0) + 1
      }
      for (const piece of splitByWeek(start, end, input.timeZone)) {
        const measures = measureDriving(points, piece, options)
        row.measures = addMeasures(row.measures, measures)
        const week = row.weekMeasures.get(piece.week) ?? createMeasures()
        row.weekMeasures.set(piece.week, addMeasures(week, measures))
      }
    }
  }
  const drivers = [...rows.values()].map(({ weekMeasures, ...row }) => {
    const score = scoreDriving(row.measures, weights)
    return {
      ...row,
      ...score,
      distanceKm: round(row.measures.distanceKm, 3),
      drivingSec: round(row.measures.drivingSec, 1),
      idleSec: round(row.measures.idleSec, 1),
      weeks: [...weekMeasures]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([week, measures]) => ({
          week,
          distanceKm: round(measures.distanceKm, 3),
          drivingSec: round(measures.drivingSec, 1),
          score: scoreDriving(measures, weights).score,
        })),
    }
  })
  drivers.sort(
    (a, b) =>
      (a.driverName ?? '\uffff').localeCompare(b.driverName ?? '\uffff') ||
      (a.identifier ?? '').localeCompare(b.identifier ?? ''),
  )
  return { timeZone: input.timeZone, weights, drivers }
}
