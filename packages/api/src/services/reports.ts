import { listAssignments } from '@fms/db/queries/drivers'
import { findVehiclePointsSince } from '@fms/db/queries/telemetry'
import type { VehicleScope } from '@fms/db/queries/vehicle-scope'
import { findVehicleById, findVehicleRefs } from '@fms/db/queries/vehicles'
import {
  type DailySummary,
  detectTrips,
  listDays,
  type PeriodSummary,
  REPORT_MARGIN_MS,
  RULE_KINDS,
  type RuleKind,
  roundDay,
  roundSummary,
  sumSummaries,
  sumVehicleDays,
  type Trip,
  toLitres,
} from '@fms/engine'
import type { DbDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import {
  DAILY_MAX_VEHICLES,
  REPORT_MAX_VEHICLES,
  type TDailyReportInput,
  type TTimeRangeReportInput,
} from '../schemas/reports.ts'
import { sendAsPlainJson } from '../transformer.ts'
import { catchUpOrgActivity } from './activity.ts'
import { summarizeVehicleDays } from './daily-figures.ts'
import { orNotFound } from './db-errors.ts'

export interface VehicleRef {
  id: string
  code: string
  /** Tank size: the vehicle's fuel figures in litres too (null: percent only). */
  fuelTankLitres: number | null
}

/** The vehicle asked for (NOT_FOUND outside the caller's org), or every vehicle up to the limit. */
export async function findReportVehicles(
  deps: DbDeps,
  scope: VehicleScope,
  vehicleId: string | undefined,
  limit = REPORT_MAX_VEHICLES,
): Promise<VehicleRef[]> {
  if (vehicleId) {
    const vehicle = await orNotFound(findVehicleById(deps.db, { scope, id: vehicleId }), 'Vehicle')
    return [{ id: vehicle.id, code: vehicle.code, fuelTankLitres: vehicle.fuelTankLitres }]
  }
  const refs = await findVehicleRefs(deps.db, { scope, limit: limit + 1 })
  if (refs.length > limit) {
    throw new AppError('BAD_REQUEST', `More than ${limit} vehicles: ask for one vehicle at a time`)
  }
  return refs
}

/**
 * Litres used over a trip: the tank level at its start less the level at its end (null without
 * fuel readings at both ends, or when the level rose: a refuel on the way).
 */
export function measureTripLitres(
  points: readonly { time: number; fuel?: number | null }[],
  trip: { start: number; end: number },
  tankLitres: number,
): number | null {
  let first: number | null = null
  let last: number | null = null
  for (const point of points) {
    if (point.fuel === null || point.fuel === undefined) continue
    if (point.time >= trip.start && point.time <= trip.end) {
      first ??= point.fuel
      last = point.fuel
    }
  }
  if (first === null || last === null || last > first) return null
  return toLitres(first - last, tankLitres)
}

export type TripRow = Trip & {
  vehicleId: string
  vehicleCode: string
  /** With the vehicle's tank size: litres used over the trip. */
  fuelUsedL?: number | null
  /** Who drove (the stint covering the trip's start); null when nobody was assigned. */
  driverId: string | null
  driverName: string | null
}

/** Stints one daily report reads at most (the drivers of each vehicle's days). */
const DAILY_MAX_STINTS = 200_000

/** Stints one trips report reads at most (a month of a busy fleet swiping cards per trip). */
const TRIPS_MAX_STINTS = 100_000

/**
 * Trips starting in [from, to), per vehicle by start time, from the stored points, each with the
 * driver of its start.
 */
export async function buildTripsReport(
  deps: DbDeps,
  scope: VehicleScope,
  input: TTimeRangeReportInput,
) {
  const { orgId } = scope
  const vehicles = await findReportVehicles(deps, scope, input.vehicleId)
  const from = input.from.getTime()
  const to = input.to.getTime()
  const stints = await listAssignments(deps.db, {
    orgId,
    vehicleId: input.vehicleId,
    from: input.from,
    to: input.to,
    limit: TRIPS_MAX_STINTS,
  })
  const stintsByVehicle = new Map<string, typeof stints>()
  for (const stint of stints) {
    const list = stintsByVehicle.get(stint.vehicleId)
    if (list) list.push(stint)
    else stintsByVehicle.set(stint.vehicleId, [stint])
  }
  const driverAt = (vehicleId: string, time: number) =>
    stintsByVehicle
      .get(vehicleId)
      ?.find((s) => s.from.getTime() <= time && (s.to === null || time < s.to.getTime()))
  const trips: TripRow[] = []
  for (const vehicle of vehicles) {
    const points = await findVehiclePointsSince(deps.db, {
      orgId,
      vehicleId: vehicle.id,
      from: new Date(from - REPORT_MARGIN_MS - 1),
      to: new Date(to + REPORT_MARGIN_MS),
    })
    for (const trip of detectTrips(points).trips) {
      if (trip.start >= from && trip.start < to) {
        const stint = driverAt(vehicle.id, trip.start)
        trips.push({
          ...trip,
          vehicleId: vehicle.id,
          vehicleCode: vehicle.code,
          driverId: stint?.driverId ?? null,
          driverName: stint?.driverName ?? null,
          ...(vehicle.fuelTankLitres === null
            ? {}
            : { fuelUsedL: measureTripLitres(points, trip, vehicle.fuelTankLitres) }),
        })
      }
    }
  }
  return { trips }
}

/** Who drove a vehicle over part of a report (a stint clipped to the report's range). */
export interface DriverPart {
  driverId: string | null
  driverName: string | null
  /** The identifier of an unknown driver (null for a hand assignment). */
  identifier: string | null
  /** Epoch ms. */
  from: number
  to: number
}

/**
 * A report's alert counts as sent: only the kinds that occurred (an absent kind is 0, as in the
 * drivers report). A fleet's month is tens of thousands of days, and twelve zeros each were
 * 40 % of the answer.
 */
export type AlertCounts = Partial<Record<RuleKind, number>>

/** A summary as a report sends it: alert counts without the zeros. */
export type SentSummary<T extends { alertCounts: Record<RuleKind, number> }> = Omit<
  T,
  'alertCounts'
> & { alertCounts: AlertCounts }

/** The kinds counted at least once, with their counts. */
export function countsSent(counts: Readonly<Record<RuleKind, number>>): AlertCounts {
  const sent: AlertCounts = {}
  for (const kind of RULE_KINDS) if (counts[kind] !== 0) sent[kind] = counts[kind]
  return sent
}

/** A period's figures rounded, its counts without zeros, with litres of the tank. */
function toSentTotal<T extends Omit<DailySummary, 'date'>>(summary: T, tankLitres: number | null) {
  const rounded: SentSummary<T> = {
    ...roundSummary(summary),
    alertCounts: countsSent(summary.alertCounts),
  }
  return withLitres(rounded, tankLitres)
}

/** A day as `toSentTotal` sends it, without a generic spread (there are tens of thousands). */
function toSentDay(day: DailySummary, tankLitres: number | null) {
  const sent: SentSummary<DailySummary> = roundDay(day)
  sent.alertCounts = countsSent(day.alertCounts)
  return withLitres(sent, tankLitres)
}

export interface VehicleDays {
  vehicleId: string
  vehicleCode: string
  fuelTankLitres: number | null
  /** The drivers of the period, in time order: each day's part is where it overlaps the day. */
  drivers: DriverPart[]
  days: (SentSummary<DailySummary> | (SentSummary<DailySummary> & FuelLitres))[]
  total: SentSummary<PeriodSummary> | (SentSummary<PeriodSummary> & FuelLitres) | null
}

/** Fuel in litres of the vehicle's tank (present only for vehicles whose tank size is set). */
export interface FuelLitres {
  fuelUsedL: number | null
  refuelledL: number | null
  /** Fuel used per 100 km driven (null under 1 km or without fuel data). */
  litresPer100Km: number | null
}

/**
 * A summary just built for sending, with its fuel in litres of a `tankLitres` tank added (in
 * place: it is nobody else's); without a tank size as it is (the figures stay the engine's).
 */
function withLitres<
  T extends { fuelUsedPct: number | null; refuelledPct: number; distanceKm: number },
>(summary: T, tankLitres: number | null): T | (T & FuelLitres) {
  return tankLitres === null ? summary : Object.assign(summary, findLitres(summary, tankLitres))
}

/** A summary's fuel figures in litres of a `tankLitres` tank. */
function findLitres(
  summary: { fuelUsedPct: number | null; refuelledPct: number; distanceKm: number },
  tankLitres: number,
): FuelLitres {
  const fuelUsedL = toLitres(summary.fuelUsedPct, tankLitres)
  return {
    fuelUsedL,
    refuelledL: summary.fuelUsedPct === null ? null : toLitres(summary.refuelledPct, tankLitres),
    litresPer100Km:
      fuelUsedL === null || summary.distanceKm < 1
        ? null
        : Math.round((fuelUsedL / summary.distanceKm) * 100 * 100) / 100,
  }
}

/**
 * Per-vehicle daily summaries in the time zone, and each vehicle's totals over the period: sums
 * of the 15-minute activity buckets (brought up to date first), read from the stored day rows
 * where a day has one (see `summarizeVehicleDays`), so a month is the sum of its days and the
 * same figures come back on PostgreSQL and on TimescaleDB, whatever the number of vehicles or
 * days. `dayTotals` are each day's figures over all the report's vehicles (for charts).
 * `isUpToDate` is false while a backlog of new points is still being summarized (their figures
 * are missing until then). Sent as plain JSON: tens of thousands of days, nothing superjson adds.
 */
export async function buildDailyReport(
  deps: DbDeps,
  scope: VehicleScope,
  input: TDailyReportInput,
) {
  const { orgId } = scope
  const vehicles = await findReportVehicles(deps, scope, input.vehicleId, DAILY_MAX_VEHICLES)
  const isUpToDate = await catchUpOrgActivity(deps.db, orgId)
  const days = listDays(input.from, input.to, input.timeZone)
  const first = days[0]?.start ?? 0
  const last = days.at(-1)?.end ?? 0
  // Independent reads, each on its own connection: the days and the drivers' stints.
  const [vehicleDays, stints] = await Promise.all([
    summarizeVehicleDays(deps.db, { orgId, vehicleIds: vehicles.map((v) => v.id), days }),
    listAssignments(deps.db, {
      orgId,
      vehicleId: input.vehicleId,
      from: new Date(first),
      to: new Date(last),
      limit: DAILY_MAX_STINTS,
    }),
  ])
  const partsByVehicle = new Map<string, DriverPart[]>()
  for (const stint of [...stints].reverse()) {
    const parts = partsByVehicle.get(stint.vehicleId) ?? []
    parts.push({
      driverId: stint.driverId,
      driverName: stint.driverName,
      identifier: stint.identifier,
      from: Math.max(first, stint.from.getTime()),
      to: Math.min(last, stint.to?.getTime() ?? last),
    })
    partsByVehicle.set(stint.vehicleId, parts)
  }
  const result: VehicleDays[] = vehicles.map((vehicle, index) => {
    const list = vehicleDays[index] ?? []
    const total = sumSummaries(list)
    const tank = vehicle.fuelTankLitres
    return {
      vehicleId: vehicle.id,
      vehicleCode: vehicle.code,
      fuelTankLitres: tank,
      drivers: partsByVehicle.get(vehicle.id) ?? [],
      days: input.includeDays ? list.map((day) => toSentDay(day, tank)) : [],
      total: total && toSentTotal(total, tank),
    }
  })
  // Each day over the report's vehicles: a fleet's days in a few rows, whatever `includeDays`.
  // Litres add up over the vehicles whose tank size is known (none known: no litres).
  const hasTanks = vehicles.some((v) => v.fuelTankLitres !== null)
  const dayTotals = days.map((bounds, index) => {
    const summary = toSentDay(
      sumVehicleDays(
        bounds,
        vehicleDays.flatMap((list) => list[index] ?? []),
      ),
      null,
    )
    let fuelUsedL: number | null = null
    let refuelledL: number | null = null
    vehicles.forEach((vehicle, v) => {
      const day = vehicleDays[v]?.[index]
      if (!day) return
      const used = toLitres(day.fuelUsedPct, vehicle.fuelTankLitres)
      const refuelled =
        day.fuelUsedPct === null ? null : toLitres(day.refuelledPct, vehicle.fuelTankLitres)
      if (used !== null) fuelUsedL = (fuelUsedL ?? 0) + used
      if (refuelled !== null) refuelledL = (refuelledL ?? 0) + refuelled
    })
    return hasTanks ? { ...summary, fuelUsedL, refuelledL } : summary
  })
  return sendAsPlainJson({ timeZone: input.timeZone, isUpToDate, vehicles: result, dayTotals })
}
