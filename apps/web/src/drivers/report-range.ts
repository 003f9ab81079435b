import { findLocalDateBefore, formatDateInput } from '../lib/local-day'

const DAY_MS = 86_400_000
/** The report opens on the last four weeks, today included. */
export const DEFAULT_REPORT_DAYS = 28

/** The dates a report opens with: 28 local days up to today. */
export function findDefaultReportDates(now: number): { from: string; to: string } {
  return { from: findLocalDateBefore(now, DEFAULT_REPORT_DAYS - 1), to: formatDateInput(now) }
}

/**
 * The instants of local dates `from` to `to`, both included: local midnight of `from` to local
 * midnight after `to` (noon plus a day, then back to midnight, so a 23- or 25-hour day is right).
 */
export function toReportRange(dates: { from: string; to: string }): { from: Date; to: Date } {
  const from = new Date(`${dates.from}T00:00:00`)
  const noonAfter = new Date(new Date(`${dates.to}T12:00:00`).getTime() + DAY_MS)
  const to = new Date(noonAfter.getFullYear(), noonAfter.getMonth(), noonAfter.getDate())
  return { from, to }
}
