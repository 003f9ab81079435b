import { describe, expect, it } from 'vitest'
import { findDefaultReportDates, toReportRange } from './report-range'

describe('driver report range', () => {
  it('opens on 28 local days up to today', () => {
    const now = new Date(2026, 2, 10, 15, 30).getTime()
    expect(findDefaultReportDates(now)).toEqual({ from: '2026-02-11', to: '2026-03-10' })
  })

  it('runs from local midnight of the first day to local midnight after the last', () => {
    const range = toReportRange({ from: '2026-02-11', to: '2026-03-10' })
    expect(range.from).toEqual(new Date(2026, 1, 11))
    expect(range.to).toEqual(new Date(2026, 2, 11))
  })

  it('covers a single day', () => {
    const range = toReportRange({ from: '2026-10-25', to: '2026-10-25' })
    expect(range.from).toEqual(new Date(2026, 9, 25))
    expect(range.to).toEqual(new Date(2026, 9, 26))
  })
})
