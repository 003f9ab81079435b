import { describe, expect, it } from 'vitest'
import { addDays, findDayStart, formatLocalDate, listDays, measureZoneOffsetMs } from './days.ts'

const HOUR = 3_600_000

describe('days in a time zone', () => {
  it('lists UTC days of 24 hours, inclusive of both ends', () => {
    const days = listDays('2024-02-28', '2024-03-01')
    expect(days.map((d) => d.date)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01'])
    expect(days.every((d) => d.end - d.start === 24 * HOUR)).toBe(true)
    expect(days[0]!.start).toBe(Date.UTC(2024, 1, 28))
    expect(days[1]!.start).toBe(days[0]!.end)
  })

  it('starts days at local midnight, with 23- and 25-hour DST days', () => {
    const [spring] = listDays('2024-03-31', '2024-03-31', 'Europe/Berlin')
    expect(spring).toEqual({
      date: '2024-03-31',
      start: Date.UTC(2024, 2, 30, 23),
      end: Date.UTC(2024, 2, 31, 22),
    })
    const [autumn] = listDays('2024-10-27', '2024-10-27', 'Europe/Berlin')
    expect(autumn!.end - autumn!.start).toBe(25 * HOUR)
    expect(findDayStart('2024-06-01', 'Asia/Kolkata')).toBe(Date.UTC(2024, 4, 31, 18, 30))
  })

  it('names the local date of an instant', () => {
    const instant = Date.UTC(2024, 2, 1, 3)
    expect(formatLocalDate(instant)).toBe('2024-03-01')
    expect(formatLocalDate(instant, 'America/New_York')).toBe('2024-02-29')
    expect(measureZoneOffsetMs(instant, 'America/New_York')).toBe(-5 * HOUR)
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01')
  })

  it('rejects a malformed date', () => {
    expect(() => findDayStart('2024-3-1')).toThrow(RangeError)
  })
})
