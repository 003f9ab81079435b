import { z } from 'zod'

/*
 * The one date/time convention of report, export and history inputs:
 *
 * - Time ranges (`reports.trips`, `reports.tripsCsv`, `alerts.csv`, `telemetry.history`,
 *   `telemetry.points`) take instants `from` and `to`: a Date (the tRPC client sends Dates through
 *   superjson) or an ISO 8601 date-time with its offset, e.g. `2026-11-01T00:00:00Z`. The range
 *   is half-open, [from, to): `from` must be before `to`.
 * - Calendar reports (`reports.daily`, `GET /api/reports/daily.csv`) take dates `from` and `to` as
 *   YYYY-MM-DD, both days included, read in `timeZone` (an IANA name; default UTC): `from` must
 *   not be after `to`.
 *
 * Each kind of call covers at most a fixed number of days. Every such input is built with
 * `instantRange` or `calendarRange`, so the field names and the error messages are the same
 * everywhere: a bad order is reported on `to`, a range too long on `from`.
 */

const DAY_MS = 86_400_000

export const RANGE_ERRORS = {
  instantOrder: 'from must be before to',
  calendarOrder: 'from must not be after to',
  tooLong: (maxDays: number) => `At most ${maxDays} days at once`,
} as const

/** An instant: a Date, or a string or number `new Date()` reads (ISO 8601 with offset advised). */
export const ZInstant = z.coerce.date({
  error: 'Use a date-time in ISO 8601 with its offset, e.g. 2026-11-01T00:00:00Z',
})

/** A calendar date, YYYY-MM-DD, that exists (no February 30th). */
export const ZCalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Use YYYY-MM-DD' })
  .refine((value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
    error: 'Not a calendar date',
  })

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return true
  } catch {
    return false
  }
}

/** An IANA time zone name, e.g. `Europe/Berlin`. */
export const ZTimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, { error: 'Unknown time zone' })

/**
 * An input over the instants [from, to) plus the fields of `shape`; at most `maxDays` long when
 * given.
 */
export function instantRange<TShape extends z.ZodRawShape>(
  shape: TShape,
  options: { maxDays?: number } = {},
) {
  return z.object({ ...shape, from: ZInstant, to: ZInstant }).superRefine((input, ctx) => {
    const { from, to } = input as { from: Date; to: Date }
    if (from >= to) {
      ctx.addIssue({ code: 'custom', message: RANGE_ERRORS.instantOrder, path: ['to'] })
    }
    const { maxDays } = options
    if (maxDays !== undefined && to.getTime() - from.getTime() > maxDays * DAY_MS) {
      ctx.addIssue({ code: 'custom', message: RANGE_ERRORS.tooLong(maxDays), path: ['from'] })
    }
  })
}

/**
 * An input over the calendar days `from` to `to` (both included) in `timeZone` plus the fields
 * of `shape`; at most `maxDays` days.
 */
export function calendarRange<TShape extends z.ZodRawShape>(
  shape: TShape,
  options: { maxDays: number },
) {
  return z
    .object({
      ...shape,
      from: ZCalendarDate,
      to: ZCalendarDate,
      timeZone: ZTimeZone.default('UTC'),
    })
    .superRefine((input, ctx) => {
      const { from, to } = input as { from: string; to: string }
      if (from > to) {
        ctx.addIssue({ code: 'custom', message: RANGE_ERRORS.calendarOrder, path: ['to'] })
      }
      // Both ends count: 31 days is from the 1st to the 31st, 30 days apart.
      if (Date.parse(to) - Date.parse(from) >= options.maxDays * DAY_MS) {
        ctx.addIssue({
          code: 'custom',
          message: RANGE_ERRORS.tooLong(options.maxDays),
          path: ['from'],
        })
      }
    })
}
