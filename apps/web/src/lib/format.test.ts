import { describe, expect, it } from 'vitest'
import {
  formatAge,
  formatCount,
  formatDuration,
  formatHeading,
  formatHoursMinutes,
  formatPosition,
  formatReading,
  formatTimeRange,
} from './format'

describe('formatting', () => {
  it('formats readings with their unit and a dash for none', () => {
    expect(formatReading(42.4, 'km/h')).toBe('42 km/h')
    expect(formatReading(1234.56, 'rpm')).toBe('1,235 rpm')
    expect(formatReading(87.25, '%', 1)).toBe('87.3 %')
    expect(formatReading(null, 'km/h')).toBe('–')
    expect(formatReading(Number.NaN, 'km/h')).toBe('–')
  })

  it('formats counts with separators', () => {
    expect(formatCount(5000)).toBe('5,000')
  })

  it('formats positions to five decimals', () => {
    expect(formatPosition(52.52, 13.405)).toBe('52.52000, 13.40500')
    expect(formatPosition(null, 13.4)).toBe('No position')
  })

  it('formats ages from seconds to days', () => {
    const now = 1_000_000_000
    expect(formatAge(null, now)).toBe('never')
    expect(formatAge(now - 2_000, now)).toBe('just now')
    expect(formatAge(now + 2_000, now)).toBe('just now')
    expect(formatAge(now - 42_000, now)).toBe('42 s ago')
    expect(formatAge(now - 5 * 60_000, now)).toBe('5 min ago')
    expect(formatAge(now - 3 * 3_600_000, now)).toBe('3 h ago')
    expect(formatAge(now - 2 * 86_400_000, now)).toBe('2 d ago')
  })

  it('formats headings as compass points', () => {
    expect(formatHeading(0)).toBe('N (0°)')
    expect(formatHeading(44)).toBe('NE (44°)')
    expect(formatHeading(359)).toBe('N (359°)')
    expect(formatHeading(-90)).toBe('W (270°)')
    expect(formatHeading(null)).toBe('–')
  })

  it('formats replay durations', () => {
    expect(formatDuration(309_000)).toBe('5:09')
    expect(formatDuration(3_909_000)).toBe('1:05:09')
    expect(formatDuration(-5)).toBe('0:00')
  })

  it('formats a time range, naming the end date only when it differs', () => {
    const from = new Date(2026, 10, 27, 10, 0, 0)
    expect(formatTimeRange(from, new Date(2026, 10, 27, 10, 45, 30))).toBe(
      '27 Nov 2026, 10:00:00 – 10:45:30',
    )
    expect(formatTimeRange(from, new Date(2026, 10, 28, 1, 5, 0))).toBe(
      '27 Nov 2026, 10:00:00 – 28 Nov 2026, 01:05:00',
    )
  })

  it('formats a driving time in hours and minutes', () => {
    expect(formatHoursMinutes(0)).toBe('0 min')
    expect(formatHoursMinutes(20)).toBe('<1 min')
    expect(formatHoursMinutes(24 * 60 + 10)).toBe('24 min')
    expect(formatHoursMinutes(3 * 3600 + 5 * 60)).toBe('3 h 05 min')
    expect(formatHoursMinutes(3599.9)).toBe('1 h 00 min')
    expect(formatHoursMinutes(Number.NaN)).toBe('0 min')
  })
})
