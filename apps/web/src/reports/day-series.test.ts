import { describe, expect, it } from 'vitest'
import { listDayBars, type TDayTotals } from './day-series'

function day(date: string, distanceKm: number, drivingSec: number): TDayTotals {
  return { date, distanceKm, drivingSec } as TDayTotals
}

describe('day series', () => {
  const days = [day('2026-11-01', 0, 0), day('2026-11-02', 42.5, 5400)]

  it('gives one bar per day with its distance in km', () => {
    expect(listDayBars(days, 'distance')).toEqual([
      { key: '2026-11-01', label: '1 Nov', value: 0 },
      { key: '2026-11-02', label: '2 Nov', value: 42.5 },
    ])
  })

  it('gives driving time in hours', () => {
    expect(listDayBars(days, 'driving').map((bar) => bar.value)).toEqual([0, 1.5])
  })
})
