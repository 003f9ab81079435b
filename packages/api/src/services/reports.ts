import { findVehicleAlerts } from '@fms/db/queries/alerts'
import { findVehiclePointsSince } from '@fms/db/queries/telemetry'
import { findVehicleById, findVehicleRefs } from '@fms/db/queries/vehicles'
import type { Context } from '../context.ts'
import { AppError, orNotFound } from '../errors.ts'
import {
  type DailySummary,
  findReportRange,
  REPORT_MARGIN_MS,
  summarizeDays,
} from '../rules/daily.ts'
import { type PeriodSummary, sumSummaries } from '../rules/period.ts'
import { detectTrips, type Trip } from '../rules/trips.ts'
import {
  REPORT_MAX_VEHICLES,
  type TDailyReportInput,
  type TTimeRangeReportInput,
} from '../schemas/reports.ts'
import { toAlertEvent } from './alert-rows.ts'

export interface VehicleRef {
  id: string
  code: string
}

/** The vehicle asked for (NOT_FOUND outside the caller's org), or every vehicle up to the limit. */
export async function findReportVehicles(
  ctx: Context,
  orgId: string,
  vehicleId: string | undefined,
): Promise<VehicleRef[]> {
  if (vehicleId) {
    const vehicle = await orNotFound(findVehicleById(ctx.db, { orgId, id: vehicleId }), 'Vehicle')
    return [{ id: vehicle.id, code: vehicle.code }]
  }
  const refs = await findVehicleRefs(ctx.db, { orgId, limit: REPORT_MAX_VEHICLES + 1 })
  if (refs.length > REPORT_MAX_VEHICLES) {
    throw new AppError(
      'BAD_REQUEST',
      `More than ${REPORT_MAX_VEHICLES} vehicles: ask for one vehicle at a time`,
    )
  }
  return refs
}

export type TripRow = Trip & { vehicleId: string; vehicleCode: string }

/** Trips starting in [from, to), per vehicle by start time, from the stored points. */
export async function buildTripsReport(ctx: Context, orgId: string, input: TTimeRangeReportInput) {
  const vehicles = await findReportVehicles(ctx, orgId, input.vehicleId)
  const from = input.from.getTime()
  const to = input.to.getTime()
  const trips: TripRow[] = []
  for (const vehicle of vehicles) {
    const points = await findVehiclePointsSince(ctx.db, {
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

/** Per-vehicle daily summaries in the time zone, and each vehicle's totals over the period. */
export async function buildDailyReport(ctx: Context, orgId: string, input: TDailyReportInput) {
  const vehicles = await findReportVehicles(ctx, orgId, input.vehicleId)
  const range = findReportRange(input.from, input.to, input.timeZone)
  const result: VehicleDays[] = []
  for (const vehicle of vehicles) {
    const window = { orgId, vehicleId: vehicle.id, to: new Date(range.to) }
    const points = await findVehiclePointsSince(ctx.db, {
      ...window,
      from: new Date(range.from - 1),
    })
    const alerts = await findVehicleAlerts(ctx.db, { ...window, from: new Date(range.from) })
    const days = summarizeDays({
      points,
      alerts: alerts.map(toAlertEvent),
      fromDate: input.from,
      toDate: input.to,
      timeZone: input.timeZone,
    })
    result.push({
      vehicleId: vehicle.id,
      vehicleCode: vehicle.code,
      days,
      total: sumSummaries(days),
    })
  }
  return { timeZone: input.timeZone, vehicles: result }
}
