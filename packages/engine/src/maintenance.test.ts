import { describe, expect, it } from 'vitest'
import { at, series } from './fixtures.ts'
import { checkPurchase, detectRefuels, findMaintenanceDue, toLitres } from './maintenance.ts'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 5, 1)
const OIL = {
  everyKm: 15_000,
  everyHours: 500,
  everyDays: 365,
  warnKm: 1000,
  warnHours: 20,
  warnDays: 30,
  createdAt: NOW - 100 * DAY,
}

describe('findMaintenanceDue', () => {
  it('counts from zero and the creation before the first service', () => {
    const due = findMaintenanceDue(OIL, { odometerKm: 12_000, engineHours: 300 }, null, NOW)
    expect(due).toMatchObject({ status: 'ok', dueKm: 15_000, remainingKm: 3000, dueHours: 500 })
    expect(due.remainingDays).toBeCloseTo(265, 6)
  })

  it('is due soon inside any margin and overdue past any interval, whichever comes first', () => {
    expect(findMaintenanceDue(OIL, { odometerKm: 14_200, engineHours: 10 }, null, NOW).status).toBe(
      'due_soon',
    )
    expect(findMaintenanceDue(OIL, { odometerKm: 100, engineHours: 501 }, null, NOW).status).toBe(
      'overdue',
    )
    const late = { ...OIL, createdAt: NOW - 400 * DAY }
    expect(findMaintenanceDue(late, { odometerKm: 0, engineHours: 0 }, null, NOW).status).toBe(
      'overdue',
    )
  })

  it('restarts every interval at the last service', () => {
    const service = { id: 's1', performedAt: NOW - 10 * DAY, odometerKm: 14_900, engineHours: 480 }
    const due = findMaintenanceDue(OIL, { odometerKm: 15_500, engineHours: 490 }, service, NOW)
    expect(due).toMatchObject({ status: 'ok', dueKm: 29_900, dueHours: 980, sinceServiceId: 's1' })
    expect(due.dueAt).toBe(NOW - 10 * DAY + 365 * DAY)
  })

  it('leaves out what the vehicle does not report', () => {
    const kmOnly = { ...OIL, everyHours: null, everyDays: null }
    const due = findMaintenanceDue(kmOnly, { odometerKm: null, engineHours: null }, null, NOW)
    expect(due).toMatchObject({ status: 'ok', remainingKm: null, remainingHours: null })
  })
})

describe('fuel receipts against refuels', () => {
  // A tank at 20 % filled to 80 % within two minutes, then steady.
  const points = [
    ...series(0, 600, 60, () => ({ fuel: 20, speed: 0 })),
    at(660, { fuel: 50, speed: 0 }),
    at(720, { fuel: 80, speed: 0 }),
    ...series(780, 2400, 60, () => ({ fuel: 80, speed: 0 })),
  ]
  const refuels = detectRefuels(points)
  const time = points[10]!.time

  it('detects the refuel and measures it in litres of the tank', () => {
    expect(refuels).toHaveLength(1)
    expect(refuels[0]?.risePct).toBeCloseTo(60, 6)
    expect(checkPurchase({ time, litres: 36 }, refuels, 60, true)).toMatchObject({
      check: 'matched',
      refuelLitres: 36,
    })
  })

  it('flags a receipt much larger than the refuel, and one with no refuel at all', () => {
    expect(checkPurchase({ time, litres: 70 }, refuels, 60, true).check).toBe('refuel_smaller')
    expect(checkPurchase({ time: time + 5 * 3_600_000, litres: 30 }, refuels, 60, true).check).toBe(
      'no_refuel',
    )
    expect(checkPurchase({ time, litres: 30 }, refuels, null, true).check).toBe('no_tank_size')
    expect(checkPurchase({ time, litres: 30 }, [], 60, false).check).toBe('no_fuel_data')
  })

  it('turns percentages into litres', () => {
    expect(toLitres(12.5, 80)).toBe(10)
    expect(toLitres(null, 80)).toBeNull()
    expect(toLitres(10, null)).toBeNull()
  })
})
