import { describe, expect, it } from 'vitest'
import { createVehicleState, evaluateHistory, step, tick } from './engine.ts'
import { at, contextFor, createRandom, series, T0 } from './fixtures.ts'
import type { RuleConfig, RulePoint } from './types.ts'

describe('offline', () => {
  const rule: RuleConfig = { id: 'off', kind: 'offline', durationSec: 600 }
  const ctx = contextFor([rule])

  it('fires once on tick after durationSec of silence, and the next point closes it', () => {
    let state = step(createVehicleState(), at(0, { speed: 0 }), ctx).state
    expect(tick(state, T0 + 599_000, ctx).alerts).toEqual([])
    const fired = tick(state, T0 + 700_000, ctx)
    expect(fired.alerts).toEqual([
      expect.objectContaining({ time: T0, emittedAt: T0 + 600_000, value: null }),
    ])
    state = fired.state
    expect(tick(state, T0 + 900_000, ctx).alerts).toEqual([])
    const back = step(state, at(1200), ctx)
    expect(back.alerts).toEqual([
      expect.objectContaining({ key: fired.alerts[0]!.key, endTime: T0 + 1_200_000, value: 1200 }),
    ])
    expect(evaluateHistory([at(0), at(1200)], ctx)).toEqual(back.alerts)
  })

  it('retracts a ticked alert when the data shows no silence that long', () => {
    const state = tick(step(createVehicleState(), at(0), ctx).state, T0 + 700_000, ctx).state
    const late = step(state, at(300), ctx)
    expect(late.alerts).toEqual([])
    expect(late.retracted).toEqual([`off:veh-1:${T0}`])
  })
})

describe('anomaly', () => {
  const rule: RuleConfig = { id: 'an', kind: 'anomaly', threshold: 4 }

  /** Coolant ~ N(90 + speed/20, 1.5) while driving at 50-70 km/h: the vehicle's normal. */
  function learnNormal(count: number): RulePoint[] {
    const random = createRandom(7)
    return series(0, count * 10, 10, () => {
      const speed = 50 + random() * 20
      const noise = (random() + random() + random() - 1.5) * 2.5
      return { speed, ignition: true, rpm: 2000 + speed * 10, coolantTemp: 90 + speed / 20 + noise }
    })
  }

  it('learns a baseline first and flags a reading far outside it once per episode', () => {
    const normal = learnNormal(300)
    const end = 3000
    const hot = [
      at(end, { speed: 60, ignition: true, rpm: 2600, coolantTemp: 104 }),
      at(end + 10, { speed: 60, ignition: true, rpm: 2600, coolantTemp: 105 }),
    ]
    const cool = at(end + 20, { speed: 60, ignition: true, rpm: 2600, coolantTemp: 93 })
    const alerts = evaluateHistory([...normal, ...hot, cool], contextFor([rule]))
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({
      subject: 'coolantTemp',
      time: T0 + end * 1000,
      endTime: T0 + (end + 20) * 1000,
    })
    expect(alerts[0]!.value).toBeGreaterThan(4)
    expect(alerts[0]!.message).toMatch(
      /^Coolant temperature peaked at 105 °C: .*σ from this vehicle's normal 93 °C at 40-80 km\/h$/,
    )
  })

  it('does not flag before the band has minSamples, nor in another band', () => {
    const early = [...learnNormal(150), at(1500, { speed: 60, ignition: true, coolantTemp: 130 })]
    expect(evaluateHistory(early, contextFor([rule]))).toEqual([])
    const otherBand = [
      ...learnNormal(300),
      at(3000, { speed: 100, ignition: true, coolantTemp: 130 }),
    ]
    expect(evaluateHistory(otherBand, contextFor([rule]))).toEqual([])
  })

  it('respects baseline settings: fewer samples, one signal', () => {
    const points = [
      ...learnNormal(60),
      at(600, { speed: 60, ignition: true, rpm: 9000, coolantTemp: 92 }),
    ]
    const rpmOnly = contextFor([rule], { baseline: { minSamples: 50, signals: ['rpm'] } })
    expect(evaluateHistory(points, rpmOnly).map((a) => a.subject)).toEqual(['rpm'])
    const coolantOnly = contextFor([rule], {
      baseline: { minSamples: 50, signals: ['coolantTemp'] },
    })
    expect(evaluateHistory(points, coolantOnly)).toEqual([])
  })

  it('keeps far outliers out of the baseline', () => {
    const ctx = contextFor([rule])
    let state = createVehicleState()
    for (const point of learnNormal(300)) state = step(state, point, ctx).state
    const before = state.baseline.coolantTemp[2]!
    state = step(state, at(3000, { speed: 60, ignition: true, coolantTemp: 140 }), ctx).state
    expect(state.baseline.coolantTemp[2]).toEqual(before)
    state = step(state, at(3010, { speed: 60, ignition: true, coolantTemp: 94 }), ctx).state
    expect(state.baseline.coolantTemp[2]!.n).toBe(before.n + 1)
  })
})
