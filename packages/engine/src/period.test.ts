import { describe, expect, it } from 'vitest'
import { createSummary, type DailySummary, summarizeDays } from './daily.ts'
import { listDays } from './days.ts'
import { at } from './fixtures.ts'
import { sumVehicleDays } from './period.ts'
import type { RulePoint } from './types.ts'

const [DAY] = listDays('2024-03-01', '2024-03-01')

/** Straight north at `speed` km/h for `minutes` from `fromSec`, a point every 30 s. */
function drive(fromSec: number, minutes: number, speed: number, fuel: number | null): RulePoint[] {
  return Array.from({ length: minutes * 2 + 1 }, (_, i) =>
    at(fromSec + i * 30, {
      lat: (speed * i * 30) / 3600 / 111.2,
      lon: 13.4,
      speed,
      fuel: fuel === null ? null : fuel - i * 0.05,
      ignition: true,
    }),
  )
}

function summarizeOne(points: RulePoint[]): DailySummary {
  const [day] = summarizeDays({ points, fromDate: '2024-03-01', toDate: '2024-03-01' })
  if (!day) throw new Error('no day')
  return day
}

describe('a fleet’s day', () => {
  const fast = summarizeOne(drive(8 * 3600, 30, 90, 60))
  const slow = summarizeOne(drive(9 * 3600, 60, 30, null))

  it('sums the vehicles’ figures and keeps the highest speed', () => {
    const day = sumVehicleDays(DAY!, [fast, slow])
    expect(day.date).toBe('2024-03-01')
    expect(day.distanceKm).toBeCloseTo(fast.distanceKm + slow.distanceKm, 9)
    expect(day.drivingSec).toBeCloseTo(fast.drivingSec + slow.drivingSec, 9)
    expect(day.pointCount).toBe(fast.pointCount + slow.pointCount)
    expect(day.tripCount).toBe(fast.tripCount + slow.tripCount)
    expect(day.maxSpeed).toBe(90)
    // Only the vehicle with fuel readings adds fuel used.
    expect(fast.fuelUsedPct).toBeGreaterThan(0)
    expect(slow.fuelUsedPct).toBeNull()
    expect(day.fuelUsedPct).toBe(fast.fuelUsedPct)
  })

  it('derives the average speed from the summed distance and time, not from the averages', () => {
    const day = sumVehicleDays(DAY!, [fast, slow])
    const expected = (fast.movingDistanceKm + slow.movingDistanceKm) / (day.drivingSec / 3600)
    expect(day.avgSpeed).toBeCloseTo(expected, 9)
    expect(day.avgSpeed).toBeLessThan(((fast.avgSpeed ?? 0) + (slow.avgSpeed ?? 0)) / 2)
  })

  it('is an empty day without vehicles', () => {
    expect(sumVehicleDays(DAY!, [])).toEqual(createSummary(DAY!))
  })

  it('refuses a summary of another day', () => {
    const [, next] = listDays('2024-03-01', '2024-03-02')
    expect(() => sumVehicleDays(next!, [fast])).toThrow(/2024-03-01 among those of 2024-03-02/)
  })
})
