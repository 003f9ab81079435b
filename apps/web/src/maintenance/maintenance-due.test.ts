import { describe, expect, it } from 'vitest'
import {
  formatDuePoint,
  formatIntervals,
  formatRemaining,
  groupDueRows,
  type TSchedule,
} from './maintenance-due'

function schedule(
  id: string,
  everyKm: number,
  vehicles: [string, 'ok' | 'due_soon' | 'overdue', number][],
) {
  return {
    id,
    name: id,
    everyKm,
    everyHours: null,
    everyDays: null,
    vehicles: vehicles.map(([vehicleId, status, remainingKm]) => ({
      vehicleId,
      status,
      remainingKm,
      remainingHours: null,
      remainingDays: null,
    })),
  } as unknown as TSchedule
}

describe('formatRemaining', () => {
  it('says what is left before the service', () => {
    expect(formatRemaining(1234.4, 'km')).toBe('1,234 km left')
    expect(formatRemaining(2.25, 'hours')).toBe('2.3 h left')
  })

  it('says how far past the service a vehicle is', () => {
    expect(formatRemaining(-35, 'km')).toBe('35 km over')
    expect(formatRemaining(-3.4, 'days')).toBe('3 days over')
  })

  it('uses the singular for one day', () => {
    expect(formatRemaining(1, 'days')).toBe('1 day left')
  })

  it('calls a value that rounds to nothing due now', () => {
    expect(formatRemaining(0.2, 'km')).toBe('due now (0 km)')
  })

  it('shows an en dash for an interval the schedule does not have', () => {
    expect(formatRemaining(null, 'hours')).toBe('–')
  })
})

describe('formatIntervals', () => {
  it('lists every interval, whichever comes first', () => {
    expect(formatIntervals({ everyKm: 10_000, everyHours: 500, everyDays: 365 })).toBe(
      'every 10,000 km, 500.0 h or 365 days',
    )
    expect(formatIntervals({ everyKm: null, everyHours: null, everyDays: 1 })).toBe('every 1 day')
  })
})

describe('groupDueRows', () => {
  it('puts each vehicle of each schedule in its section, most urgent first', () => {
    const groups = groupDueRows([
      schedule('oil', 1000, [
        ['a', 'overdue', -10],
        ['b', 'ok', 900],
      ]),
      schedule('tyres', 100, [['a', 'overdue', -50]]),
    ])
    expect(groups.overdue.map((row) => row.key)).toEqual(['tyres:a', 'oil:a'])
    expect(groups.ok.map((row) => row.key)).toEqual(['oil:b'])
    expect(groups.due_soon).toEqual([])
  })
})

describe('formatDuePoint', () => {
  it('names each reading and the date the service falls due at', () => {
    const due = { dueKm: 15_000, dueHours: null, dueAt: 0 }
    expect(formatDuePoint(due, () => '1 Jan 1970')).toBe('at 15,000 km · 1 Jan 1970')
    expect(formatDuePoint({ dueKm: null, dueHours: null, dueAt: null }, String)).toBe('–')
  })
})
