import { describe, expect, it } from 'vitest'
import { compareAlerts } from './alerts.ts'
import { summarizeDay } from './daily.ts'
import { createVehicleState, evaluateHistory, step, type VehicleState } from './engine.ts'
import { at, contextFor, T0 } from './fixtures.ts'
import { measureDistanceM } from './geo.ts'
import { sortPoints } from './points.ts'
import {
  cleanFix,
  cleanTrack,
  createTrackState,
  findFixQualities,
  JITTER_ALLOWANCE_KM,
  MAX_ACCURACY_M,
} from './track.ts'
import { createTripState, detectTrips, finishTrips, stepTrip, type Trip } from './trips.ts'
import type { AlertEvent, Geofence, RuleConfig, RulePoint } from './types.ts'

const DAY = '2024-03-01'
const KM_PER_DEG_LAT = 111.19492664455873

/** A true track: one fix a second at `kmh`, heading north-east from Berlin, starting at `fromSec`. */
function driveTrack(seconds: number, kmh: number, fromSec = 3600): RulePoint[] {
  const points: RulePoint[] = []
  let lat = 52.5
  let lon = 13.4
  for (let s = 0; s < seconds; s++) {
    points.push(at(fromSec + s, { lat, lon, ignition: true, fuel: 60 - s / 100 }))
    const km = kmh / 3600
    lat += (km * Math.SQRT1_2) / KM_PER_DEG_LAT
    lon += (km * Math.SQRT1_2) / (KM_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180))
  }
  return points
}

/** Haversine length of a track, km. */
function measureTrackKm(points: readonly RulePoint[]): number {
  let m = 0
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!
    const b = points[i]!
    m += measureDistanceM(a.lat!, a.lon!, b.lat!, b.lon!)
  }
  return m / 1000
}

/** The fixes from `from` (inclusive) to `to` (exclusive) repeat the fix at `from`: a frozen receiver. */
function freeze(points: readonly RulePoint[], from: number, to: number): RulePoint[] {
  const held = points[from]!
  return points.map((p, i) => (i > from && i < to ? { ...p, lat: held.lat, lon: held.lon } : p))
}

/** The points with some of them changed: [index, fields]. */
function replaceFixes(points: readonly RulePoint[], changes: [number, Partial<RulePoint>][]) {
  const byIndex = new Map(changes)
  return points.map((p, i) => ({ ...p, ...byIndex.get(i) }))
}

function qualitiesOf(points: readonly RulePoint[]) {
  return cleanTrack(sortPoints(points)).qualities
}

function expectWithinOnePercent(measured: number, trueKm: number) {
  expect(Math.abs(measured - trueKm) / trueKm).toBeLessThan(0.01)
}

describe('a frozen receiver, then a catch-up', () => {
  // 10 min at 48.3 km/h; the fixes from 200 s repeat for 34 s, the next one is 470 m further.
  const truth = driveTrack(600, 48.3)
  const frozen = freeze(truth, 200, 235)

  it('measures the catch-up from the first fix of the frozen run: 470 m in 35 s is kept', () => {
    const qualities = qualitiesOf(frozen)
    expect(qualities.every((q) => q === 'ok')).toBe(true)
    const catchUp = cleanTrack(sortPoints(frozen)).points[235]!
    expect(catchUp.speed).toBeCloseTo(48.3, 0)
  })

  it('comes within 1 % of the haversine length in trips and in the daily summary', () => {
    const trueKm = measureTrackKm(truth)
    const [trip] = detectTrips(frozen).trips
    const day = summarizeDay({ points: frozen, date: DAY })
    expectWithinOnePercent(trip!.distanceKm, trueKm)
    expectWithinOnePercent(day.distanceKm, trueKm)
  })
})

describe('a lone outlier', () => {
  const truth = driveTrack(300, 50)
  // 5 km off for one second, then back on the road.
  const stray = { lat: truth[150]!.lat! + 0.045, lon: truth[150]!.lon! }
  const points = replaceFixes(truth, [[150, stray]])
  const fence: Geofence = {
    id: 'far',
    shape: { type: 'circle', lat: stray.lat, lon: stray.lon, radiusM: 500 },
  }
  const rules: RuleConfig[] = [
    { id: 'os', kind: 'overspeed', threshold: 100, durationSec: 0 },
    { id: 'in', kind: 'geofence_enter' },
    { id: 'out', kind: 'geofence_exit' },
  ]

  it('is flagged, and the next fix back on the road is not', () => {
    const qualities = qualitiesOf(points)
    expect(qualities[150]).toBe('outlier')
    expect(qualities.filter((q) => q !== 'ok')).toHaveLength(1)
  })

  it('keeps its other readings but holds the last good position and has no speed', () => {
    const cleaned = cleanTrack(sortPoints(points)).points[150]!
    expect(cleaned).toMatchObject({ lat: truth[149]!.lat, lon: truth[149]!.lon, speed: null })
    expect(cleaned.fuel).toBe(points[150]!.fuel)
  })

  it('is left out of distance and speed in trips and daily summaries', () => {
    const trueKm = measureTrackKm(truth)
    const { trips } = detectTrips(points)
    const day = summarizeDay({ points, date: DAY })
    expect(trips).toHaveLength(1)
    expectWithinOnePercent(trips[0]!.distanceKm, trueKm)
    expectWithinOnePercent(day.distanceKm, trueKm)
    expect(trips[0]!.maxSpeed).toBeLessThan(60)
    expect(day.maxSpeed).toBeLessThan(60)
  })

  it('raises no geofence event and no overspeed', () => {
    expect(evaluateHistory(points, contextFor(rules, { geofences: [fence] }))).toEqual([])
  })
})

describe('a genuine move', () => {
  it('is accepted once a second fix agrees with it (a stale first fix)', () => {
    const truth = driveTrack(120, 50)
    const stale = at(3599, { lat: 52.9, lon: 13.9, ignition: true })
    const qualities = qualitiesOf([stale, ...truth])
    expect(qualities.slice(0, 4)).toEqual(['ok', 'outlier', 'ok', 'ok'])
    expect(qualities.slice(2).every((q) => q === 'ok')).toBe(true)
  })

  it('is accepted after an outage in which the receiver wandered around its last fix', () => {
    const truth = driveTrack(300, 50)
    // From 100 s to 180 s the receiver reports the fix at 100 s give or take 20 cm.
    const outage = truth.map((p, i) =>
      i > 100 && i < 180
        ? { ...p, lat: truth[100]!.lat! + (i % 2) * 0.000002, lon: truth[100]!.lon }
        : p,
    )
    const qualities = qualitiesOf(outage)
    expect(qualities[180]).toBe('outlier')
    expect(qualities.filter((q) => q !== 'ok')).toHaveLength(1)
    expectWithinOnePercent(
      summarizeDay({ points: outage, date: DAY }).distanceKm,
      measureTrackKm(truth),
    )
  })
})

describe('a stream without reported speeds', () => {
  // 120 km/h with a few metres of jitter on every fix.
  const points = driveTrack(120, 120).map((p, i) => ({
    ...p,
    lat: p.lat! + (i % 3) * 0.00003,
  }))
  const rules: RuleConfig[] = [
    { id: 'os', kind: 'overspeed', threshold: 100, durationSec: 10 },
    { id: 'harsh', kind: 'harsh' },
  ]

  it('gets speeds derived from positions, which drive the overspeed rule', () => {
    const cleaned = cleanTrack(sortPoints(points)).points
    expect(cleaned[0]!.speed).toBeNull()
    expect(cleaned[60]!.speed).toBeGreaterThan(100)
    const alerts = evaluateHistory(points, contextFor(rules))
    expect(alerts.map((a) => a.kind)).toEqual(['overspeed'])
    expect(alerts[0]!.value).toBeGreaterThan(110)
  })

  it('reports the derived speeds in trips and daily summaries', () => {
    const [trip] = detectTrips(points).trips
    expect(trip!.maxSpeed).toBeGreaterThan(110)
    expect(summarizeDay({ points, date: DAY }).maxSpeed).toBeGreaterThan(110)
  })

  it('gives an identical repeat a speed of 0', () => {
    const state = cleanFix(createTrackState(), at(0, { lat: 52.5, lon: 13.4 })).state
    expect(cleanFix(state, at(5, { lat: 52.5, lon: 13.4 })).point.speed).toBe(0)
  })
})

describe('invalid fixes', () => {
  const truth = driveTrack(300, 50).map((p) => ({ ...p, speed: 50 }))
  const far = { lat: 53.5, lon: 14.4 }
  const points = replaceFixes(truth, [
    [50, { ...far, valid: false }],
    [100, { lat: 0, lon: 0 }],
    [150, { ...far, accuracy: MAX_ACCURACY_M + 1 }],
    [200, { accuracy: MAX_ACCURACY_M, valid: true }],
  ])

  it('are flagged: valid false, 0/0, accuracy worse than the limit', () => {
    const qualities = qualitiesOf(points)
    const flagged = qualities.flatMap((q, i) => (q === 'ok' ? [] : [[i, q]]))
    expect(flagged).toEqual([
      [50, 'invalid'],
      [100, 'invalid'],
      [150, 'invalid'],
    ])
  })

  it('keep their sensor readings, lose position and speed, and are left out of distance', () => {
    const cleaned = cleanTrack(sortPoints(points)).points
    expect(cleaned[50]).toMatchObject({ lat: truth[49]!.lat, speed: null, fuel: truth[50]!.fuel })
    expectWithinOnePercent(summarizeDay({ points, date: DAY }).distanceKm, measureTrackKm(truth))
  })

  it('raise no geofence event', () => {
    const fence: Geofence = { id: 'f', shape: { type: 'circle', ...far, radiusM: 1000 } }
    const rules: RuleConfig[] = [{ id: 'in', kind: 'geofence_enter' }]
    expect(evaluateHistory(points, contextFor(rules, { geofences: [fence] }))).toEqual([])
  })
})

describe('jitter', () => {
  it('never flags a short step, however fast it looks', () => {
    const state = cleanFix(createTrackState(), at(0, { lat: 52.5, lon: 13.4 })).state
    const hop = at(0.1, { lat: 52.5 + (JITTER_ALLOWANCE_KM * 0.9) / KM_PER_DEG_LAT, lon: 13.4 })
    expect(cleanFix(state, hop).quality).toBe('ok')
  })
})

describe('a vehicle parked for long, then a glitch', () => {
  /** An hour parked, repeating its fix every 10 s, then `glitchKm` away for one fix, then back. */
  function parkedThenGlitch(glitchKm: number): RulePoint[] {
    const parked = { lat: 52.5, lon: 13.4, ignition: true }
    const points = Array.from({ length: 361 }, (_, i) => at(i * 10, parked))
    points.push(at(3611, { ...parked, lat: 52.5 + glitchKm / KM_PER_DEG_LAT }))
    points.push(at(3621, parked), at(3631, parked))
    return points
  }

  it('flags the glitch: the hour parked is no credit for a jump (a frozen receiver gets 40 s)', () => {
    for (const km of [50, 5]) {
      const points = parkedThenGlitch(km)
      expect(qualitiesOf(points).at(-3)).toBe('outlier')
      expect(qualitiesOf(points).slice(-2)).toEqual(['ok', 'ok'])
      expect(summarizeDay({ points, date: DAY }).distanceKm).toBe(0)
    }
  })
})

describe('live and batch agree', () => {
  // Everything at once, no speeds: a stale first fix, then (one later in `mixed`) an outlier at
  // 300, invalid fixes at 400 and 401, no position at 500, a freeze from 600 to 640.
  const truth = driveTrack(900, 60)
  const mixed = [
    at(3599, { lat: 52.9, lon: 13.9, ignition: true }),
    ...replaceFixes(freeze(truth, 600, 640), [
      [300, { lat: 53, lon: 13 }],
      [400, { valid: false }],
      [401, { lat: 0, lon: 0 }],
      [500, { lat: null, lon: null }],
    ]),
  ]
  const rules: RuleConfig[] = [
    { id: 'os', kind: 'overspeed', threshold: 55, durationSec: 5 },
    { id: 'harsh', kind: 'harsh' },
    { id: 'idle', kind: 'idle', durationSec: 20 },
    { id: 'in', kind: 'geofence_enter' },
  ]
  const fence: Geofence = { id: 'f', shape: { type: 'circle', lat: 53, lon: 13, radiusM: 500 } }
  const ctx = contextFor(rules, { geofences: [fence] })
  const revive = <T>(value: T): T => JSON.parse(JSON.stringify(value))

  it('step by step through JSON gives the alerts of the history path', () => {
    let state = createVehicleState()
    const alerts = new Map<string, AlertEvent>()
    for (const point of mixed) {
      const out = step(revive(state), point, ctx)
      for (const alert of out.alerts) alerts.set(alert.key, alert)
      state = out.state
    }
    const history = evaluateHistory(mixed, ctx)
    expect([...alerts.values()].sort(compareAlerts)).toEqual(history)
    expect(new Set(history.map((a) => a.kind))).toEqual(new Set(['overspeed', 'idle']))
  })

  it('stepTrip through JSON gives the trips of detectTrips', () => {
    let state = createTripState()
    const trips: Trip[] = []
    for (const point of mixed) {
      const out = stepTrip(revive(state), point)
      state = out.state
      trips.push(...out.trips)
    }
    const open = finishTrips(state)
    expect(open ? [...trips, open] : trips).toEqual(detectTrips(mixed).trips)
  })

  it('cleanFix through JSON gives cleanTrack, and findFixQualities the same flags', () => {
    let state = createTrackState()
    const qualities = mixed.map((point) => {
      const out = cleanFix(revive(state), point)
      state = out.state
      return out.quality
    })
    expect(qualities).toEqual(qualitiesOf(mixed))
    expect(findFixQualities(mixed)).toEqual(qualities)
    expect(qualities.filter((q) => q === 'invalid')).toHaveLength(2)
  })

  it('judges a range like the whole stream when given the points before it as context', () => {
    const whole = findFixQualities(mixed)
    expect(whole[301]).toBe('outlier')
    expect(findFixQualities(mixed.slice(301, 420), mixed.slice(250, 301))).toEqual(
      whole.slice(301, 420),
    )
  })

  it('loads a vehicle state stored before position quality, and carries on', () => {
    const {
      track: _,
      lastReceived: __,
      ...stored
    } = step(createVehicleState(), mixed[1]!, ctx).state
    const old: VehicleState = revive(stored)
    expect(step(old, mixed[1]!, ctx).needsReplayFrom).toBeNull() // a duplicate of its last point
    let state = old
    for (const point of mixed.slice(2, 100)) state = step(state, point, ctx).state
    expect(state.track?.anchor?.time).toBe(mixed[99]!.time)
  })
})

describe('no position yet', () => {
  it('leaves a flagged point without a position', () => {
    const out = cleanFix(createTrackState(), at(0, { lat: 0, lon: 0, speed: 30, fuel: 50 }))
    expect(out).toMatchObject({ quality: 'invalid', point: { lat: null, lon: null, speed: null } })
    expect(out.point.fuel).toBe(50)
    expect(out.point.time).toBe(T0)
  })
})
