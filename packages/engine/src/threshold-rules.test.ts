import { describe, expect, it } from 'vitest'
import { evaluateHistory, foldHistory } from './engine.ts'
import { at, contextFor, series, T0 } from './fixtures.ts'
import type { RuleConfig } from './types.ts'

const overspeed: RuleConfig = { id: 'os', kind: 'overspeed', threshold: 100, durationSec: 10 }

describe('overspeed', () => {
  it('alerts once per episode, from its start, closing when speed falls below threshold - 5', () => {
    const points = [
      at(0, { speed: 90 }),
      ...series(5, 40, 5, () => ({ speed: 110 })),
      at(40, { speed: 98 }), // hysteresis band: the episode goes on
      at(45, { speed: 120 }),
      at(50, { speed: 90 }),
    ]
    const alerts = evaluateHistory(points, contextFor([overspeed]))
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({
      key: `os:veh-1:${T0 + 5000}`,
      time: T0 + 5000,
      endTime: T0 + 50_000,
      value: 120,
      emittedAt: T0 + 50_000,
    })
  })

  it('emits the open version when the episode qualifies, then the closed one', () => {
    const ctx = contextFor([overspeed])
    const open = foldHistory([at(0, { speed: 110 }), at(10, { speed: 111 })], ctx).alerts
    expect(open).toEqual([
      expect.objectContaining({ time: T0, value: 111, emittedAt: T0 + 10_000 }),
    ])
    expect(open[0]).not.toHaveProperty('endTime')
  })

  it('ignores episodes shorter than durationSec', () => {
    const points = [at(0, { speed: 110 }), at(9, { speed: 130 }), at(12, { speed: 80 })]
    expect(evaluateHistory(points, contextFor([overspeed]))).toEqual([])
  })

  it('starts a new episode after re-arming', () => {
    const points = [
      ...series(0, 20, 5, () => ({ speed: 110 })),
      at(20, { speed: 50 }),
      ...series(30, 50, 5, () => ({ speed: 110 })),
    ]
    const alerts = evaluateHistory(points, contextFor([overspeed]))
    expect(alerts.map((a) => a.time)).toEqual([T0, T0 + 30_000])
  })

  it('ends the episode at the last point before a data gap of over 10 minutes', () => {
    const points = [...series(0, 20, 5, () => ({ speed: 110 })), at(1000, { speed: 110 })]
    const alerts = evaluateHistory(points, contextFor([overspeed]))
    expect(alerts[0]).toMatchObject({ time: T0, endTime: T0 + 15_000 })
  })
})

describe('high_rpm and overheat', () => {
  it('high_rpm alerts on rpm above threshold for the duration', () => {
    const rule: RuleConfig = { id: 'r', kind: 'high_rpm', threshold: 4000, durationSec: 5 }
    const points = [
      at(0, { rpm: 4500 }),
      at(5, { rpm: 5200 }),
      at(6, { rpm: 3900 }),
      at(7, { rpm: 3000 }),
    ]
    const alerts = evaluateHistory(points, contextFor([rule]))
    expect(alerts).toEqual([expect.objectContaining({ value: 5200, endTime: T0 + 7000 })])
  })

  it('overheat uses the default 105 °C for 30 s', () => {
    const points = series(0, 40, 10, () => ({ coolantTemp: 110 }))
    const alerts = evaluateHistory(points, contextFor([{ id: 'h', kind: 'overheat' }]))
    expect(alerts).toEqual([expect.objectContaining({ time: T0, emittedAt: T0 + 30_000 })])
  })
})

describe('low_fuel', () => {
  const rule: RuleConfig = { id: 'lf', kind: 'low_fuel', threshold: 15 }

  it('alerts once and re-arms only above threshold + 5', () => {
    const fuel = [14, 13, 17, 12, 21, 14]
    const points = fuel.map((f, i) => at(i * 60, { fuel: f }))
    const alerts = evaluateHistory(points, contextFor([rule]))
    expect(alerts.map((a) => [a.time, a.value, a.endTime])).toEqual([
      [T0, 12, T0 + 240_000],
      [T0 + 300_000, 14, undefined],
    ])
  })

  it('survives a night without data', () => {
    const points = [at(0, { fuel: 10 }), at(40_000, { fuel: 10 })]
    expect(evaluateHistory(points, contextFor([rule]))).toHaveLength(1)
  })
})

describe('idle', () => {
  const rule: RuleConfig = { id: 'idle', kind: 'idle', durationSec: 300 }

  it('alerts when the engine runs while stopped for the duration; value is the idle seconds', () => {
    const points = [
      ...series(0, 400, 20, () => ({ speed: 0, ignition: true })),
      at(400, { speed: 30, ignition: true }),
    ]
    const alerts = evaluateHistory(points, contextFor([rule]))
    expect(alerts).toEqual([
      expect.objectContaining({ time: T0, endTime: T0 + 400_000, value: 400 }),
    ])
  })

  it('does not alert for shorter idling or with the ignition off', () => {
    const short = series(0, 300, 20, () => ({ speed: 0, ignition: true }))
    const off = series(0, 900, 20, (s) => ({ speed: 0, ignition: s % 200 !== 0 }))
    expect(evaluateHistory([...short, at(300, { speed: 20 })], contextFor([rule]))).toEqual([])
    expect(evaluateHistory(off, contextFor([rule]))).toEqual([])
  })

  it('uses rpm when the device reports no ignition', () => {
    const points = series(0, 320, 20, () => ({ speed: 0, rpm: 800 }))
    expect(evaluateHistory(points, contextFor([rule]))).toHaveLength(1)
  })
})
