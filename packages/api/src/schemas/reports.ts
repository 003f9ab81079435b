import { RULE_KINDS } from '@fms/engine'
import { z } from 'zod'
import { ZId } from './common.ts'

/** Longest range one report call may cover, and most vehicles it may cover without `vehicleId`. */
export const REPORT_MAX_DAYS = 31
export const REPORT_MAX_VEHICLES = 200
/** Daily summaries read the activity buckets, not points: a whole fleet at once. */
export const DAILY_MAX_VEHICLES = 5000
const DAY_MS = 86_400_000

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return true
  } catch {
    return false
  }
}

const ZDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Use YYYY-MM-DD' })
  .refine((value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
    error: 'Not a calendar date',
  })

const ZTimeZone = z.string().min(1).max(64).refine(isTimeZone, { error: 'Unknown time zone' })

export const ZTimeRangeReportInput = z
  .object({ vehicleId: ZId.optional(), from: z.coerce.date(), to: z.coerce.date() })
  .refine((input) => input.from < input.to, { error: 'from must be before to', path: ['to'] })
  .refine((input) => input.to.getTime() - input.from.getTime() <= REPORT_MAX_DAYS * DAY_MS, {
    error: `At most ${REPORT_MAX_DAYS} days at once`,
    path: ['from'],
  })
export type TTimeRangeReportInput = z.infer<typeof ZTimeRangeReportInput>

export const ZAlertsCsvInput = z
  .object({
    vehicleId: ZId.optional(),
    kind: z.enum(RULE_KINDS).optional(),
    from: z.coerce.date(),
    to: z.coerce.date(),
  })
  .refine((input) => input.from < input.to, { error: 'from must be before to', path: ['to'] })
  .refine((input) => input.to.getTime() - input.from.getTime() <= REPORT_MAX_DAYS * DAY_MS, {
    error: `At most ${REPORT_MAX_DAYS} days at once`,
    path: ['from'],
  })
export type TAlertsCsvInput = z.infer<typeof ZAlertsCsvInput>

export const ZDailyReportInput = z
  .object({
    vehicleId: ZId.optional(),
    from: ZDate,
    to: ZDate,
    timeZone: ZTimeZone.default('UTC'),
    /** False: each vehicle's totals over the period only (`days` empty), for a fleet overview. */
    includeDays: z.boolean().default(true),
  })
  .refine((input) => input.from <= input.to, { error: 'from must not be after to', path: ['to'] })
  .refine((input) => Date.parse(input.to) - Date.parse(input.from) < REPORT_MAX_DAYS * DAY_MS, {
    error: `At most ${REPORT_MAX_DAYS} days at once`,
    path: ['from'],
  })
export type TDailyReportInput = z.infer<typeof ZDailyReportInput>
