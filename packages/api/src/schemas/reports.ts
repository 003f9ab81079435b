import { ALERT_KINDS } from '@fms/engine'
import { z } from 'zod'
import { ZId } from './common.ts'
import { calendarRange, instantRange, ZCalendarDate, ZTimeZone } from './time-range.ts'

/** Longest range one report call may cover, and most vehicles it may cover without `vehicleId`. */
export const REPORT_MAX_DAYS = 31
export const REPORT_MAX_VEHICLES = 200
/** Daily summaries read the activity buckets, not points: a whole fleet at once. */
export const DAILY_MAX_VEHICLES = 5000

/** A time-range report: trips starting in [from, to) (see time-range.ts for the convention). */
export const ZTimeRangeReportInput = instantRange(
  { vehicleId: ZId.optional() },
  { maxDays: REPORT_MAX_DAYS },
)
export type TTimeRangeReportInput = z.infer<typeof ZTimeRangeReportInput>

/** The alerts that started in [from, to), as CSV. */
export const ZAlertsCsvInput = instantRange(
  { vehicleId: ZId.optional(), kind: z.enum(ALERT_KINDS).optional() },
  { maxDays: REPORT_MAX_DAYS },
)
export type TAlertsCsvInput = z.infer<typeof ZAlertsCsvInput>

/** A calendar report: the days `from` to `to`, both included, in `timeZone`. */
export const ZDailyReportInput = calendarRange(
  {
    vehicleId: ZId.optional(),
    /** False: each vehicle's totals over the period only (`days` empty), for a fleet overview. */
    includeDays: z.boolean().default(true),
  },
  { maxDays: REPORT_MAX_DAYS },
)
export type TDailyReportInput = z.infer<typeof ZDailyReportInput>

/**
 * The daily CSV (`GET /api/reports/daily.csv`): every day of every vehicle (or of `vehicleId`),
 * streamed, so it is not held to DAILY_MAX_VEHICLES. Query parameters are strings, hence no
 * `includeDays` (always all days).
 */
export const ZDailyCsvInput = calendarRange(
  { vehicleId: ZId.optional() },
  { maxDays: REPORT_MAX_DAYS },
)
export type TDailyCsvInput = z.infer<typeof ZDailyCsvInput>

/** Most vehicles `fleet.overview` ranks by distance. */
export const OVERVIEW_MAX_TOP_VEHICLES = 20

/**
 * The whole fleet on one calendar day (`day`, YYYY-MM-DD, in `timeZone`), with the `topCount`
 * vehicles that drove farthest that day.
 */
export const ZFleetOverviewInput = z.object({
  day: ZCalendarDate,
  timeZone: ZTimeZone.default('UTC'),
  topCount: z.number().int().min(0).max(OVERVIEW_MAX_TOP_VEHICLES).default(5),
})
export type TFleetOverviewInput = z.infer<typeof ZFleetOverviewInput>
