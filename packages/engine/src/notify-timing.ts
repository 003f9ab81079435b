/**
 * When an email about an alert may go out: quiet hours (local minutes of the day in the
 * subscriber's zone, possibly over midnight) hold it until they end, and a digest period gathers
 * everything of one window (aligned to multiples of the period since the epoch) into one email
 * sent when the window closes. Pure, Intl-only time arithmetic.
 */
import { measureZoneOffsetMs } from './days.ts'

export interface NotifyTiming {
  timeZone: string
  /** Minutes after local midnight, 0–1439; both null: no quiet hours. Start == end: none. */
  quietStartMinute: number | null
  quietEndMinute: number | null
  /** One email per this many minutes at most; null: one per alert, at once. */
  digestMinutes: number | null
}

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000

/** Minutes after local midnight at `time`. */
export function readLocalMinute(time: number, timeZone: string): number {
  const wall = time + measureZoneOffsetMs(time, timeZone)
  return Math.floor((((wall % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS)
}

/** The instant the local wall clock next reads `minute` after `time` (within about a day). */
function nextLocalMinute(time: number, minute: number, timeZone: string): number {
  const offset = measureZoneOffsetMs(time, timeZone)
  const wall = time + offset
  const midnight = wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS)
  let targetWall = midnight + minute * MINUTE_MS
  if (targetWall <= wall) targetWall += DAY_MS
  // Convert back with the offset in force at the target (a DST change in between).
  const guess = targetWall - offset
  return targetWall - measureZoneOffsetMs(guess, timeZone)
}

export function isInQuietHours(time: number, timing: NotifyTiming): boolean {
  const { quietStartMinute: start, quietEndMinute: end } = timing
  if (start === null || end === null || start === end) return false
  const minute = readLocalMinute(time, timing.timeZone)
  return start < end ? minute >= start && minute < end : minute >= start || minute < end
}

/** When an email about something at `time` is due under `timing`. */
export function findEmailDueAt(time: number, timing: NotifyTiming): number {
  let due = time
  if (timing.digestMinutes !== null && timing.digestMinutes > 0) {
    const period = timing.digestMinutes * MINUTE_MS
    due = Math.ceil((time + 1) / period) * period
  }
  if (isInQuietHours(due, timing) && timing.quietEndMinute !== null) {
    due = nextLocalMinute(due, timing.quietEndMinute, timing.timeZone)
  }
  return due
}
