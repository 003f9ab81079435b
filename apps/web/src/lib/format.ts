import { readTimeZone, toDisplayUnit } from './display-settings'

const NUMBER = new Intl.NumberFormat('en-US')
const DATE_TIME_FORMATS = new Map<
  string,
  { dateTime: Intl.DateTimeFormat; time: Intl.DateTimeFormat }
>()

/** The date-time formats of the reader's time zone (the browser's until settings load). */
function dateFormats() {
  const timeZone = readTimeZone()
  const key = timeZone ?? ''
  let formats = DATE_TIME_FORMATS.get(key)
  if (!formats) {
    formats = {
      dateTime: new Intl.DateTimeFormat('en-GB', {
        dateStyle: 'medium',
        timeStyle: 'medium',
        timeZone,
      }),
      time: new Intl.DateTimeFormat('en-GB', { timeStyle: 'medium', timeZone }),
    }
    DATE_TIME_FORMATS.set(key, formats)
  }
  return formats
}

const READING_FORMATS = new Map<number, Intl.NumberFormat>()

/**
 * `42 km/h`, or an en dash for no value. A metric unit (km, km/h, L, °C) is shown in the
 * reader's units (`26 mph`). (Formatters are cached: creating one costs ~0.1 ms.)
 */
export function formatReading(
  metricValue: number | null | undefined,
  metricUnit: string,
  digits = 0,
): string {
  if (metricValue === null || metricValue === undefined || !Number.isFinite(metricValue)) return '–'
  const [value, unit] = toDisplayUnit(metricValue, metricUnit)
  let format = READING_FORMATS.get(digits)
  if (!format) {
    format = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })
    READING_FORMATS.set(digits, format)
  }
  const text = format.format(value)
  return unit ? `${text} ${unit}` : text
}

export function formatCount(value: number): string {
  return NUMBER.format(value)
}

/** `52.52000, 13.40500` (five decimals: about a metre). */
export function formatPosition(lat: number | null, lon: number | null): string {
  if (lat === null || lon === null) return 'No position'
  return `${lat.toFixed(5)}, ${lon.toFixed(5)}`
}

export function formatDateTime(time: number | Date | null): string {
  if (time === null) return 'Never'
  return dateFormats().dateTime.format(time)
}

/** `just now`, `42 s ago`, `5 min ago`, `3 h ago`, `2 d ago`; `never` for no time. */
export function formatAge(time: number | null, now: number): string {
  if (time === null) return 'never'
  const seconds = Math.max(0, Math.round((now - time) / 1000))
  if (seconds < 5) return 'just now'
  if (seconds < 60) return `${seconds} s ago`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`
  return `${Math.floor(seconds / 86_400)} d ago`
}

const COMPASS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const

/** `NE (45°)`. */
export function formatHeading(heading: number | null): string {
  if (heading === null) return '–'
  const normalized = ((heading % 360) + 360) % 360
  const point = COMPASS[Math.round(normalized / 45) % 8]
  return `${point} (${Math.round(normalized)}°)`
}

/** `27 Nov 2026, 10:00:00 – 10:45:00`, or with both dates when the range spans days. */
export function formatTimeRange(from: number | Date, to: number | Date): string {
  const { dateTime, time } = dateFormats()
  const isSameDay = new Date(from).toDateString() === new Date(to).toDateString()
  return `${dateTime.format(from)} – ${(isSameDay ? time : dateTime).format(to)}`
}

/** `1:05:09` or `5:09` for a replay clock. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`
}

/** `24 min`, `3 h 05 min`, `0 min`; under a minute but not zero, `<1 min`. */
export function formatHoursMinutes(sec: number): string {
  if (!Number.isFinite(sec) || sec <= 0) return '0 min'
  if (sec < 60) return '<1 min'
  const minutes = Math.round(sec / 60)
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return hours > 0 ? `${hours} h ${String(rest).padStart(2, '0')} min` : `${rest} min`
}
