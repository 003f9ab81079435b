import { describe, expect, it } from 'vitest'
import { applyAlertChanges, compareAlerts } from './alerts.ts'
import { evaluateHistory } from './engine.ts'
import { at, contextFor, createRandom, generateStream, series, T0 } from './fixtures.ts'
import {
  type CheckpointPolicy,
  createLiveVehicle,
  DEFAULT_CHECKPOINTS,
  findReplayStart,
  recordPoints,
  replayVehicle,
  tickLive,
} from './replay.ts'
import type { AlertEvent, RuleConfig, RuleContext, RulePoint } from './types.ts'

/** A point and its wall-clock delivery time. */
interface Arrival {
  point: RulePoint
  at: number
}

/**
 * The live path as the server runs it: tick, store (commit), step, and on a late point load the
 * stored points after the replay start and replay. Alerts go to a store keyed like the alerts
 * table. The vehicle's state goes through JSON at every point, as if kept in Redis.
 */
function runLive(arrivals: readonly Arrival[], ctx: RuleContext, policy: CheckpointPolicy) {
  const stored: RulePoint[] = []
  const table = new Map<string, AlertEvent>()
  let live = createLiveVehicle()
  let [replays, fullReplays] = [0, 0]
  for (const arrival of arrivals) {
    const ticked = tickLive(live, arrival.at, ctx)
    applyAlertChanges(table, ticked)
    stored.push(arrival.point)
    const out = recordPoints(JSON.parse(JSON.stringify(ticked.live)), [arrival.point], ctx, policy)
    live = out.live
    applyAlertChanges(table, out)
    if (out.needsReplayFrom === null) continue
    const { since } = findReplayStart(live, out.needsReplayFrom)
    replays++
    if (since === null) fullReplays++
    const replay = replayVehicle({
      live,
      from: out.needsReplayFrom,
      points: stored.filter((p) => since === null || p.time > since),
      previous: [...table.values()],
      ctx,
      now: arrival.at,
      policy,
    })
    live = replay.live
    applyAlertChanges(table, { alerts: replay.upserts, retracted: replay.retracted })
  }
  const now = arrivals[arrivals.length - 1]!.at
  applyAlertChanges(table, tickLive(live, now, ctx))
  return { alerts: [...table.values()].sort(compareAlerts), stored, now, replays, fullReplays }
}

/** Delivery with jitter: most points within 3 s, some minutes late, a few hours late, some twice. */
function deliver(points: readonly RulePoint[], seed: number): Arrival[] {
  const random = createRandom(seed)
  const arrivals: Arrival[] = []
  for (const point of points) {
    const roll = random()
    const delay =
      roll < 0.01
        ? 3_600_000 + random() * 7_200_000
        : roll < 0.06
          ? random() * 600_000
          : random() * 3000
    arrivals.push({ point, at: point.time + delay })
    if (random() < 0.01) arrivals.push({ point, at: point.time + delay + random() * 60_000 })
  }
  return arrivals.sort((a, b) => a.at - b.at)
}

const RULES: RuleConfig[] = [
  { id: 'os', kind: 'overspeed', threshold: 100, durationSec: 10 },
  { id: 'rpm', kind: 'high_rpm', threshold: 3500, durationSec: 5 },
  { id: 'lf', kind: 'low_fuel', threshold: 20 },
  { id: 'fd', kind: 'fuel_drop' },
  { id: 'rf', kind: 'refuel' },
  { id: 'hot', kind: 'overheat', threshold: 110, durationSec: 20 },
  { id: 'idle', kind: 'idle', durationSec: 120 },
  { id: 'harsh', kind: 'harsh' },
  { id: 'off', kind: 'offline', durationSec: 600 },
  { id: 'in', kind: 'geofence_enter' },
  { id: 'out', kind: 'geofence_exit' },
  { id: 'an', kind: 'anomaly', threshold: 3 },
]
const CTX = contextFor(RULES, {
  geofences: [
    { id: 'centre', shape: { type: 'circle', lat: 52.52, lon: 13.4, radiusM: 1500 } },
    {
      id: 'east',
      shape: {
        type: 'polygon',
        points: [
          [52.5, 13.41],
          [52.5, 13.46],
          [52.54, 13.46],
          [52.54, 13.41],
        ],
      },
    },
  ],
  baseline: { minSamples: 100 },
})

describe('live and reprocessed results are equal', () => {
  it('on a crafted late point that breaks an overspeed episode (retracted) and starts another', () => {
    const ctx = contextFor([RULES[0]!])
    const points = series(0, 60, 5, (s) => ({ speed: s === 20 || s === 40 ? 50 : 110 }))
    const late = new Set([T0 + 20_000, T0 + 40_000])
    const arrivals = points.map((point) => ({
      point,
      at: point.time + (late.has(point.time) ? 30_000 : 0),
    }))
    const run = runLive(
      arrivals.sort((a, b) => a.at - b.at),
      ctx,
      DEFAULT_CHECKPOINTS,
    )
    expect(run.replays).toBe(2)
    expect(run.alerts.map((a) => a.time - T0)).toEqual([0, 25_000, 45_000])
    expect(run.alerts).toEqual(evaluateHistory(run.stored, ctx, { until: run.now }))
  })

  it('when a late point is older than every checkpoint (full replay)', () => {
    const ctx = contextFor([RULES[0]!, RULES[8]!])
    const points = [...series(0, 3600, 60, () => ({ speed: 110 })), at(1830, { speed: 0 })]
    const arrivals = points.map((point) => ({
      point,
      at: point.time + (point.time === T0 + 1_830_000 ? 7200_000 : 0),
    }))
    const policy = { everyMs: 300_000, keep: 2 }
    const run = runLive(
      arrivals.sort((a, b) => a.at - b.at),
      ctx,
      policy,
    )
    expect(run.fullReplays).toBe(1)
    expect(run.alerts.map((a) => a.kind)).toEqual(['overspeed', 'overspeed', 'offline'])
    expect(run.alerts).toEqual(evaluateHistory(run.stored, ctx, { until: run.now }))
  })

  it('when a late point keeps open an episode the live path had closed on a data gap', () => {
    const ctx = contextFor([RULES[0]!])
    const points = [
      ...series(0, 35, 5, () => ({ speed: 110 })),
      at(700, { speed: 110 }),
      at(400, { speed: 110 }),
    ]
    const arrivals = points.map((point, i) => ({
      point,
      at: point.time + (i === points.length - 1 ? 600_000 : 0),
    }))
    const run = runLive(arrivals, ctx, { everyMs: 20_000, keep: 10 })
    expect(run.alerts).toEqual([expect.objectContaining({ time: T0, emittedAt: T0 + 10_000 })])
    expect(run.alerts[0]).not.toHaveProperty('endTime')
    expect(run.alerts).toEqual(evaluateHistory(run.stored, ctx, { until: run.now }))
  })

  it('when two points share a time (the canonical one wins, even over a checkpoint)', () => {
    const ctx = contextFor([RULES[0]!])
    const points = [...series(0, 40, 5, () => ({ speed: 110 })), at(20, { speed: 50 })]
    const arrivals = points.map((point, i) => ({
      point,
      at: point.time + (i === points.length - 1 ? 60_000 : 0),
    }))
    const run = runLive(arrivals, ctx, { everyMs: 1, keep: 100 })
    expect(run.alerts.map((a) => a.time - T0)).toEqual([0, 25_000])
    expect(run.alerts).toEqual(evaluateHistory(run.stored, ctx, { until: run.now }))
  })

  it('when a ticked offline alert is disproved by a delayed point', () => {
    const ctx = contextFor([RULES[8]!])
    const arrivals = [
      { point: at(0), at: T0 },
      { point: at(300), at: T0 + 700_000 },
      { point: at(310), at: T0 + 710_000 },
    ]
    const run = runLive(arrivals, ctx, DEFAULT_CHECKPOINTS)
    expect(run.replays).toBe(0)
    expect(run.alerts).toEqual([])
    expect(run.alerts).toEqual(evaluateHistory(run.stored, ctx, { until: run.now }))
  })

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])(
    'on random stream %i with jittered, late and repeated delivery',
    (seed) => {
      const points = generateStream(seed, 1500)
      const run = runLive(deliver(points, seed + 100), CTX, { everyMs: 300_000, keep: 6 })
      const history = evaluateHistory(points, CTX, { until: run.now })
      expect(run.replays).toBeGreaterThan(0)
      expect(new Set(history.map((a) => a.kind)).size).toBeGreaterThan(5)
      expect(run.alerts).toEqual(history)
    },
  )
})

describe('a vehicle handed to another node', () => {
  it.each([1, 2, 3, 4])(
    'continues from its stored state alone (no checkpoints) as if never interrupted: stream %i',
    (seed) => {
      const points = generateStream(seed, 1500)
      const table = new Map<string, AlertEvent>()
      let live = createLiveVehicle()
      for (const [i, point] of points.entries()) {
        // Every 97 points the vehicle moves to another node: only `state` survives, as JSON.
        if (i % 97 === 0) {
          const state = JSON.parse(JSON.stringify(live.state))
          live = { state, checkpoints: [state] }
        }
        const out = recordPoints(live, [point], CTX)
        live = out.live
        expect(out.needsReplayFrom).toBeNull()
        applyAlertChanges(table, out)
      }
      const last = points.at(-1)?.time ?? T0
      const handedOver = [...table.values()].sort(compareAlerts)
      const history = evaluateHistory(points, CTX, { until: last })
      expect(handedOver.length).toBeGreaterThan(5)
      expect(handedOver).toEqual(history)
    },
  )
})
