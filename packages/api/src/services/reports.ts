import { findVehiclePointsSince } from '@fms/db/queries/telemetry'
import { findVehicleById, findVehicleRefs } from '@fms/db/queries/vehicles'
import {
  type DailySummary,
  detectTrips,
  listDays,
  type PeriodSummary,
  REPORT_MARGIN_MS,
  roundSummary,
  sumSummaries,
  sumVehicleDays,
  type Trip,
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
}

/** The vehicle asked for (NOT_FOUND outside the caller's org), or every vehicle up to the limit. */
export async function findReportVehicles(
  deps: DbDeps,
  orgId: string,
  vehicleId: string | undefined,
  limit = REPORT_MAX_VEHICLES,
): Promise<VehicleRef[]> {
  if (vehicleId) {
    const vehicle = await orNotFound(findVehicleById(deps.db, { orgId, id: vehicleId }), 'Vehicle')
    return [{ id: vehicle.id, code: vehicle.code }]
  }
  const refs = await findVehicleRefs(deps.db, { orgId, limit: limit + 1 })
  if (refs.length > limit) {
    throw new AppError('BAD_REQUEST', `More than ${limit} vehicles: ask for one vehicle at a time`)
  }
  return refs
}

export type TripRow = Trip & { vehicleId: string; vehicleCode: string }

/** Trips starting in [from, to), per vehicle by start time, from the stored points. */
export async function buildTripsReport(deps: DbDeps, orgId: string, input: TTimeRangeReportInput) {
  const vehicles = await findReportVehicles(deps, orgId, input.vehicleId)
  const from = input.from.getTime()
  const to = input.to.getTime()
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
        trips.push({ ...trip, vehicleId: vehicle.id, vehicleCode: vehicle.code })
      }
    }
  }
  return { trips }
}

export interface VehicleDays {
  vehicleId: string
  vehicleCode: string
  days: DailySummary[]
  total: PeriodSummary | null
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
export async function buildDailyReport(deps: DbDeps, orgId: string, input: TDailyReportInput) {
  const vehicles = await findReportVehicles(deps, orgId, input.vehicleId, DAILY_MAX_VEHICLES)
  const isUpToDate = await catchUpOrgActivity(deps.db, orgId)
  const days = listDays(input.from, input.to, input.timeZone)
  const vehicleDays = await summarizeVehicleDays(deps.db, {
    orgId,
    vehicleIds: vehicles.map((v) => v.id),
    days,
  })
  const result: VehicleDays[] = vehicles.map((vehicle, index) => {
    const list = vehicleDays[index] ?? []
    const total = sumSummaries(list)
    return {
      vehicleId: vehicle.id,
      vehicleCode: vehicle.code,
      days: input.includeDays ? list.map(roundSummary) : [],
      total: total && roundSummary(total),
    }
  })
  // Each day over the report's vehicles: a fleet's days in a few rows, whatever `includeDays`.
  const dayTotals = days.map((bounds, index) =>
    roundSummary(
      sumVehicleDays(
        bounds,
        vehicleDays.flatMap((list) => list[index] ?? []),
      ),
    ),
  )
  return sendAsPlainJson({ timeZone: input.timeZone, isUpToDate, vehicles: result, dayTotals })
}
