import { describe, expect, it } from 'vitest'
import {
  type DriverStint,
  planAssignment,
  planIdentification,
  planUnassignment,
} from './drivers.ts'

const H = 3_600_000
const DRIVERS: Record<string, string> = { CARD_A: 'anna', CARD_B: 'ben' }
const resolve = (identifier: string) => DRIVERS[identifier] ?? null
const view = (stints: readonly DriverStint[]) =>
  stints.map((s) => [s.from, s.to, s.driverId ?? `?${s.identifier}`])

describe('planIdentification', () => {
  it('starts a stint at the first point naming a driver, and leaves it alone after', () => {
    const plan = planIdentification(
      [],
      [1, 2, 3].map((h) => ({ time: h * H, identifier: 'CARD_A' })),
      resolve,
    )
    expect(view(plan.stints)).toEqual([[H, null, 'anna']])
    expect(plan.created).toHaveLength(1)
    expect(plan.unknown).toEqual([])
    const again = planIdentification(
      [{ id: 's1', ...plan.created[0]! }],
      [{ time: 4 * H, identifier: 'CARD_A' }],
      resolve,
    )
    expect(again).toMatchObject({ created: [], ended: [], removed: [] })
  })

  it('switches at the point where a new identifier appears, ending the stint before', () => {
    const stored: DriverStint[] = [
      { id: 's1', from: H, to: null, driverId: 'anna', identifier: 'CARD_A' },
    ]
    const plan = planIdentification(stored, [{ time: 5 * H, identifier: 'CARD_B' }], resolve)
    expect(view(plan.stints)).toEqual([
      [H, 5 * H, 'anna'],
      [5 * H, null, 'ben'],
    ])
    expect(plan.ended).toEqual([{ id: 's1', to: 5 * H }])
  })

  it('places a late point before the later switch, keeping that switch', () => {
    const stored: DriverStint[] = [
      { id: 's1', from: H, to: 5 * H, driverId: 'anna', identifier: 'CARD_A' },
      { id: 's2', from: 5 * H, to: null, driverId: 'anna', identifier: 'CARD_A' },
    ]
    // Ben's card at 3 h arrives after Anna's at 5 h was stored.
    const plan = planIdentification(stored, [{ time: 3 * H, identifier: 'CARD_B' }], resolve)
    expect(view(plan.stints)).toEqual([
      [H, 3 * H, 'anna'],
      [3 * H, 5 * H, 'ben'],
      [5 * H, null, 'anna'],
    ])
  })

  it('gives the same timeline whatever order the points come in', () => {
    const points = [
      { time: 1 * H, identifier: 'CARD_A' },
      { time: 2 * H, identifier: 'CARD_B' },
      { time: 3 * H, identifier: 'CARD_B' },
      { time: 4 * H, identifier: 'CARD_A' },
    ]
    const inOrder = planIdentification([], points, resolve).stints
    let stored: DriverStint[] = []
    for (const point of [...points].reverse()) {
      const plan = planIdentification(stored, [point], resolve)
      stored = plan.stints.map((s, i) => ({ ...s, id: s.id ?? `n${point.time}-${i}` }))
    }
    expect(view(stored)).toEqual(view(inOrder))
  })

  it('keeps an unknown identifier as a stint of its own and reports it once', () => {
    const plan = planIdentification(
      [],
      [
        { time: H, identifier: 'CARD_X' },
        { time: 2 * H, identifier: 'CARD_X' },
      ],
      resolve,
    )
    expect(view(plan.stints)).toEqual([[H, null, '?CARD_X']])
    expect(plan.unknown).toEqual([{ time: H, identifier: 'CARD_X' }])
  })
})

describe('hand assignments', () => {
  it('assigns until the next change and ends the stint it cuts into', () => {
    const stored: DriverStint[] = [
      { id: 's1', from: H, to: 6 * H, driverId: 'anna', identifier: null },
      { id: 's2', from: 6 * H, to: null, driverId: 'carl', identifier: null },
    ]
    const plan = planAssignment(stored, { driverId: 'ben', from: 3 * H })
    expect(view(plan.stints)).toEqual([
      [H, 3 * H, 'anna'],
      [3 * H, 6 * H, 'ben'],
      [6 * H, null, 'carl'],
    ])
    expect(planAssignment(plan.stints, { driverId: 'ben', from: 4 * H }).created).toEqual([])
  })

  it('replaces a stint that starts at the same instant', () => {
    const stored: DriverStint[] = [
      { id: 's1', from: H, to: null, driverId: 'anna', identifier: null },
    ]
    const plan = planAssignment(stored, { driverId: 'ben', from: H })
    expect(plan.removed).toEqual(['s1'])
    expect(view(plan.stints)).toEqual([[H, null, 'ben']])
  })

  it('unassigns from a time on, only the named driver when given', () => {
    const stored: DriverStint[] = [
      { id: 's1', from: H, to: null, driverId: 'anna', identifier: null },
    ]
    expect(planUnassignment(stored, { at: 2 * H, driverId: 'ben' }).ended).toEqual([])
    const plan = planUnassignment(stored, { at: 2 * H })
    expect(plan.ended).toEqual([{ id: 's1', to: 2 * H }])
    expect(planUnassignment(stored, { at: H }).removed).toEqual(['s1'])
  })
})
