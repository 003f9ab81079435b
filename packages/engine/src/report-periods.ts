/**
 * The periods scheduled reports cover and when each is sent, in a time zone, through Intl only.
 * A daily report covers one local day, a weekly one seven days from the week's first day (Monday
 * unless the organization's week starts on Sunday), a monthly one a calendar
 * month; each is due at `sendHour` local time on the day after its period ends. A send hour
 * inside a DST gap (02:00 on a spring-forward night) moves forward by the gap (to 03:00); one
 * that occurs twice (fall back) is the first of the two.
 */
import { addDays, findDayStart, formatLocalDate, measureZoneOffsetMs } from './days.ts'

export const REPORT_FREQUENCIES = ['daily', 'weekly', 'monthly'] as const
export type ReportFrequency = (typeof REPORT_FREQUENCIES)[number]

export interface ReportTiming {
  frequency: ReportFrequency
  /** IANA time zone the periods are cut in. */
  timeZone: string
  /** Local hour (0–23) of the day after the period the report is due. */
  sendHour: number
  /** The first day of a weekly period (default Monday). */
  weekStart?: 'monday' | 'sunday' | undefined
}

export interface ReportRun {
  /** Local calendar dates the period covers, YYYY-MM-DD, both included. */
  fromDate: string
  toDate: string
  /** Epoch ms, [start, end): local midnight of `fromDate` to local midnight after `toDate`. */
  start: number
  end: number
  /** Epoch ms the report of this period is due. */
  dueAt: number
}

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/** Days since the week's first day: 0 on that day ... 6 on the day before the next week. */
function daysIntoWeek(date: string, weekStart: ReportTiming['weekStart']): number {
  const sundayBased = new Date(`${date}T00:00:00Z`).getUTCDay()
  return weekStart === 'sunday' ? sundayBased : (sundayBased + 6) % 7
}

/** The first day of the period `date` falls in. */
function findPeriodStart(timing: ReportTiming, date: string): string {
  const { frequency } = timing
  if (frequency === 'daily') return date
  if (frequency === 'weekly') return addDays(date, -daysIntoWeek(date, timing.weekStart))
  return `${date.slice(0, 8)}01`
}

/** The first day of the period after the one starting on `start` (`step` = -1: before it). */
function stepPeriod(frequency: ReportFrequency, start: string, step: 1 | -1): string {
  if (frequency === 'daily') return addDays(start, step)
  if (frequency === 'weekly') return addDays(start, 7 * step)
  const year = Number(start.slice(0, 4))
  const month = Number(start.slice(5, 7)) - 1 + step
  return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10)
}

/**
 * The instant the local wall clock of `timeZone` reads `hour`:00 on `date`: the earlier of two
 * (fall back), or, inside a gap (spring forward), the instant the gap ends.
 */
export function findLocalHour(date: string, hour: number, timeZone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + hour * HOUR_MS
  const before = wall - measureZoneOffsetMs(wall - DAY_MS, timeZone)
  const after = wall - measureZoneOffsetMs(wall + DAY_MS, timeZone)
  const reads = (time: number) => time + measureZoneOffsetMs(time, timeZone) === wall
  const valid = [before, after].filter(reads)
  if (valid.length > 0) return Math.min(...valid)
  // In a gap: the old offset carries the wall time past the gap's end by as much as it is in it.
  return before
}

function toRun(timing: ReportTiming, start: string): ReportRun {
  const next = stepPeriod(timing.frequency, start, 1)
  return {
    fromDate: start,
    toDate: addDays(next, -1),
    start: findDayStart(start, timing.timeZone),
    end: findDayStart(next, timing.timeZone),
    dueAt: findLocalHour(next, timing.sendHour, timing.timeZone),
  }
}

/**
 * The latest period whose report is due at or before `now`. After an outage of several periods
 * this is the newest only: the ones in between are skipped, not sent late one after another.
 */
export function findLatestReportRun(timing: ReportTiming, now: number): ReportRun {
  const current = findPeriodStart(timing, formatLocalDate(now, timing.timeZone))
  const previous = stepPeriod(timing.frequency, current, -1)
  const run = toRun(timing, previous)
  return run.dueAt <= now ? run : toRun(timing, stepPeriod(timing.frequency, previous, -1))
}

/** The first period whose report is due after `now` (when the schedule should next run). */
export function findNextReportRun(timing: ReportTiming, now: number): ReportRun {
  const current = findPeriodStart(timing, formatLocalDate(now, timing.timeZone))
  const previous = toRun(timing, stepPeriod(timing.frequency, current, -1))
  return previous.dueAt > now ? previous : toRun(timing, current)
}
