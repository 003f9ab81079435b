import { describe, expect, it } from 'vitest'
import {
  findLocalDateBefore,
  formatDateInput,
  formatDateTimeInput,
  formatDayLabel,
  formatDayTitle,
} from './local-day'

describe('local days', () => {
  it('writes the local date as YYYY-MM-DD', () => {
    expect(formatDateInput(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05')
    expect(formatDateInput(new Date(2026, 10, 30, 0, 0).getTime())).toBe('2026-11-30')
  })

  it('counts calendar days back across months and years', () => {
    expect(findLocalDateBefore(new Date(2026, 2, 3, 0, 30), 6)).toBe('2026-02-25')
    expect(findLocalDateBefore(new Date(2026, 0, 1, 23, 30), 1)).toBe('2025-12-31')
    expect(findLocalDateBefore(new Date(2026, 5, 15, 12), 0)).toBe('2026-06-15')
  })

  it('labels a calendar date the same in every time zone', () => {
    expect(formatDayLabel('2026-11-02')).toBe('2 Nov')
    expect(formatDayLabel('2026-01-31')).toBe('31 Jan')
    expect(formatDayTitle('2026-11-02')).toBe('Monday, 2 November 2026')
  })
})

describe('formatDateTimeInput', () => {
  it('gives a datetime-local value in the browser time zone', () => {
    expect(formatDateTimeInput(new Date(2026, 10, 2, 7, 5, 59))).toBe('2026-11-02T07:05')
  })
})
