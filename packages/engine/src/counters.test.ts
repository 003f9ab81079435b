import { describe, expect, it } from 'vitest'
import { summarizeSpans } from './daily.ts'
import { createVehicleState, step } from './engine.ts'
import { at, contextFor, generateStream, T0 } from './fixtures.ts'
import type { RulePoint } from './types.ts'

function fold(points: readonly RulePoint[]) {
  let state = createVehicleState()
  for (const point of points) state = step(state, point, contextFor([])).state
  return state.counters
}

describe('vehicle counters', () => {
  it('count the same distance the daily summaries count', () => {
    const points = generateStream(7, 3000)
    const last = points.at(-1)?.time ?? T0
    const [total] = summarizeSpans({ points }, [{ date: '', start: T0, end: last + 1 }])
    expect(fold(points)?.distanceKm).toBeCloseTo(total?.distanceKm ?? -1, 6)
  })

  it('count engine-on time, but not across a data gap or with the ignition off', () => {
    const points = [
      at(0, { ignition: true }),
      at(60, { ignition: true }),
      at(120, { ignition: false }),
      at(180, { ignition: false }),
      at(240, { ignition: true }),
      // An hour of silence: not counted, the engine may have been off.
      at(3840, { ignition: true }),
      at(3900, { ignition: true, odometer: 1234.5, fuel: 40 }),
    ]
    const counters = fold(points)
    expect(counters?.engineSec).toBe(60 + 60 + 60)
    expect(counters).toMatchObject({ odometerKm: 1234.5, fuelPct: 40 })
  })
})
