/**
 * Calendar days in a time zone, through Intl only. A day runs from local midnight to the next local
 * midnight, so DST days last 23 or 25 hours. Where a zone skips midnight itself, the day starts at
 * the first local instant of that date, which the second pass below lands on.
 */

export interface DayBounds {
  /** Local calendar date, YYYY-MM-DD. */
  date: string
  /** Epoch ms, inclusive. */
  start: number
  /** Epoch ms, exclusive: the next day's start. */
  end: number
}

const DAY_MS = 86_400_000
const formatters = new Map<string, Intl.DateTimeFormat>()

function findFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** Local wall-clock time at `time` expressed as if it were UTC, epoch ms (whole seconds). */
function readWallClock(time: number, timeZone: string): number {
  const parts: Record<string, number> = {}
  for (const part of findFormatter(timeZone).formatToParts(new Date(time))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts
  return Date.UTC(year, month - 1, day, hour, minute, second)
}

/** The zone's offset from UTC at `time`, ms (east positive). */
export function measureZoneOffsetMs(time: number, timeZone: string): number {
  const wholeSecond = Math.floor(time / 1000) * 1000
  return readWallClock(wholeSecond, timeZone) - wholeSecond
}

function parseDate(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`)
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
}

function formatUtcDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10)
}

/** Epoch ms of local midnight starting `date` in `timeZone`. */
export function findDayStart(date: string, timeZone = 'UTC'): number {
  const wall = parseDate(date)
  const guess = wall - measureZoneOffsetMs(wall, timeZone)
  return wall - measureZoneOffsetMs(guess, timeZone)
}

/** The local calendar date of `time` in `timeZone`. */
export function formatLocalDate(time: number, timeZone = 'UTC'): string {
  return formatUtcDate(readWallClock(time, timeZone))
}

export function addDays(date: string, days: number): string {
  return formatUtcDate(parseDate(date) + days * DAY_MS)
}

/** Every day from `fromDate` to `toDate`, both inclusive. */
export function listDays(fromDate: string, toDate: string, timeZone = 'UTC'): DayBounds[] {
  const days: DayBounds[] = []
  let start = findDayStart(fromDate, timeZone)
  for (let date = fromDate; date <= toDate; ) {
    const next = addDays(date, 1)
    const end = findDayStart(next, timeZone)
    days.push({ date, start, end })
    date = next
    start = end
  }
  return days
}
