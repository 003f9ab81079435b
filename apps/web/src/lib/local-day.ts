/** The browser's time zone: the one the reports and the overview read calendar days in. */
export const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone

const DAY_MS = 86_400_000

/** `YYYY-MM-DD` of the local (browser time zone) date of `date`. */
export function formatDateInput(date: Date | number): string {
  const local = new Date(date)
  const month = String(local.getMonth() + 1).padStart(2, '0')
  const day = String(local.getDate()).padStart(2, '0')
  return `${local.getFullYear()}-${month}-${day}`
}

/** The local date `days` before `date`'s (calendar days, whatever daylight saving does). */
export function findLocalDateBefore(date: Date | number, days: number): string {
  const local = new Date(date)
  // Noon: a day of 23 or 25 hours can't move it across midnight.
  const noon = new Date(local.getFullYear(), local.getMonth(), local.getDate(), 12)
  return formatDateInput(noon.getTime() - days * DAY_MS)
}

const DAY_LABEL = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
})
const DAY_TITLE = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})

/** `2 Nov` for `2026-11-02` (a calendar date: no time zone moves it). */
export function formatDayLabel(date: string): string {
  return DAY_LABEL.format(new Date(`${date}T00:00:00Z`))
}

/** `Monday, 2 November 2026` for `2026-11-02`. */
export function formatDayTitle(date: string): string {
  return DAY_TITLE.format(new Date(`${date}T00:00:00Z`))
}

/** `YYYY-MM-DDTHH:MM` of `date` in the browser's time zone: a `datetime-local` input's value. */
export function formatDateTimeInput(date: Date | number): string {
  const local = new Date(date)
  const hours = String(local.getHours()).padStart(2, '0')
  const minutes = String(local.getMinutes()).padStart(2, '0')
  return `${formatDateInput(local)}T${hours}:${minutes}`
}
