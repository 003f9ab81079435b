import { describe, expect, it } from 'vitest'
import { describePurchaseCheck, listFuelPoints } from './fuel-check'

type TDays = Parameters<typeof listFuelPoints>[0]

describe('describePurchaseCheck', () => {
  it('names the refuel a matched receipt was found in', () => {
    expect(describePurchaseCheck({ check: 'matched', litres: 40, refuelLitres: 42 })).toBe(
      'Matched: 42 L refuel detected',
    )
  })

  it('says so when no refuel was seen', () => {
    expect(describePurchaseCheck({ check: 'no_refuel', litres: 40, refuelLitres: null })).toBe(
      'No refuel detected',
    )
  })

  it('compares a smaller refuel with the receipt', () => {
    expect(describePurchaseCheck({ check: 'refuel_smaller', litres: 40, refuelLitres: 12.4 })).toBe(
      'Refuel much smaller: 12.4 L of 40 L',
    )
  })

  it('explains why a receipt could not be checked', () => {
    expect(describePurchaseCheck({ check: 'no_tank_size', litres: 40, refuelLitres: null })).toBe(
      'Not checked: set a tank size on the vehicle',
    )
  })
})

describe('listFuelPoints', () => {
  it('gives one point per day with the litres used, gaps where unknown', () => {
    const days = [
      { date: '2026-11-02', fuelUsedL: 12.5 },
      { date: '2026-11-03', fuelUsedL: null },
    ] as unknown as TDays
    expect(listFuelPoints(days)).toEqual([
      { key: '2026-11-02', label: '2 Nov', value: 12.5 },
      { key: '2026-11-03', label: '3 Nov', value: null },
    ])
  })

  it('gives nothing when no vehicle has a tank size (no litres sent)', () => {
    expect(listFuelPoints([{ date: '2026-11-02' }] as unknown as TDays)).toBeNull()
  })
})
