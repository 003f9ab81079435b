import { describe, expect, it } from 'vitest'
import { selectVehicleRules } from './config.ts'
import { createVehicleState, evaluateHistory, foldHistory, step } from './engine.ts'
import { at, contextFor, createRandom, generateStream, T0 } from './fixtures.ts'
import type { RuleConfig } from './types.ts'

const overspeed: RuleConfig = { id: 'os', kind: 'overspeed', threshold: 100, durationSec: 10 }
const RULES: RuleConfig[] = [
  overspeed,
  { id: 'idle', kind: 'idle' },
  { id: 'harsh', kind: 'harsh' },
  { id: 'refuel', kind: 'refuel' },
  { id: 'drop', kind: 'fuel_drop' },
  { id: 'off', kind: 'offline' },
  { id: 'an', kind: 'anomaly', threshold: 3 },
]

describe('step', () => {
  it('leaves the state alone and asks for a replay on a late point', () => {
    const ctx = contextFor([overspeed])
    const state = step(createVehicleState(), at(10, { speed: 50 }), ctx).state
    const late = step(state, at(5, { speed: 120 }), ctx)
    expect(late).toEqual({ state, alerts: [], retracted: [], needsReplayFrom: T0 + 5000 })
    const sameTime = step(state, at(10, { speed: 51 }), ctx)
    expect(sameTime.needsReplayFrom).toBe(T0 + 10_000)
  })

  it('ignores an exact duplicate of the last point', () => {
    const ctx = contextFor([overspeed])
    const state = step(createVehicleState(), at(10, { speed: 50 }), ctx).state
    expect(step(state, at(10, { speed: 50 }), ctx)).toEqual({
      state,
      alerts: [],
      retracted: [],
      needsReplayFrom: null,
    })
  })

  it('keeps a plain JSON state: a round trip mid-stream changes nothing', () => {
    const ctx = contextFor(RULES)
    const points = generateStream(3, 2000)
    let direct = createVehicleState()
    let revived = createVehicleState()
    for (const point of points) {
      const a = step(direct, point, ctx)
      const b = step(JSON.parse(JSON.stringify(revived)), point, ctx)
      expect(b.alerts).toEqual(a.alerts)
      direct = a.state
      revived = b.state
    }
    expect(JSON.parse(JSON.stringify(direct))).toEqual(direct)
  })
})

describe('evaluateHistory', () => {
  it('gives the same alerts whatever the input order, and with duplicates', () => {
    const ctx = contextFor(RULES)
    const points = generateStream(11, 1500)
    const random = createRandom(5)
    const shuffled = [...points, ...points.slice(0, 200)].sort(() => random() - 0.5)
    const alerts = evaluateHistory(points, ctx)
    expect(alerts.length).toBeGreaterThan(5)
    expect(evaluateHistory(shuffled, ctx)).toEqual(alerts)
  })

  it('reprocesses a period from the state saved at its start exactly as the full history did', () => {
    const ctx = contextFor(RULES)
    const points = generateStream(12, 3000)
    const cut = points[1500]!.time
    const saved = foldHistory(
      points.filter((p) => p.time < cut),
      ctx,
    ).state
    const period = evaluateHistory(
      points.filter((p) => p.time >= cut),
      ctx,
      {
        state: JSON.parse(JSON.stringify(saved)),
      },
    )
    const full = evaluateHistory(points, ctx)
    expect(period.length).toBeGreaterThan(0)
    // Every version emitted during the period, and only those.
    expect(period).toEqual(full.filter((a) => a.emittedAt >= cut))
  })
})

describe('selectVehicleRules', () => {
  const rules: RuleConfig[] = [
    { id: 'org-os', kind: 'overspeed', threshold: 100 },
    { id: 'truck-os', kind: 'overspeed', threshold: 80, vehicleId: 'truck' },
    { id: 'org-idle', kind: 'idle' },
    { id: 'other', kind: 'idle', vehicleId: 'van' },
  ]

  it('lets a vehicle rule replace the org-wide rule of its kind', () => {
    expect(selectVehicleRules(rules, 'truck').map((r) => r.id)).toEqual(['truck-os', 'org-idle'])
    expect(selectVehicleRules(rules, 'car').map((r) => r.id)).toEqual(['org-os', 'org-idle'])
  })

  it('is applied by the engine', () => {
    const points = [at(0, { speed: 90 }), at(20, { speed: 90 })]
    expect(evaluateHistory(points, { vehicleId: 'truck', rules })).toHaveLength(1)
    expect(evaluateHistory(points, { vehicleId: 'car', rules })).toHaveLength(0)
  })
})
