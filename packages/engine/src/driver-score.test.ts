import { describe, expect, it } from 'vitest'
import {
  addMeasures,
  DEFAULT_SCORE_WEIGHTS,
  LONG_DRIVING_LIMIT_SEC,
  measureDriving,
  scoreDriving,
} from './driver-score.ts'
import { at, T0 } from './fixtures.ts'
import { EARTH_RADIUS_M } from './geo.ts'
import type { RulePoint } from './types.ts'

const KM_PER_DEGREE = (2 * Math.PI * EARTH_RADIUS_M) / 1000 / 360

/** Points every `stepSec` along the equator at the speeds given per point (km/h). */
function drive(speeds: number[], options: { stepSec?: number; startSec?: number } = {}) {
  const step = options.stepSec ?? 1
  let lon = 1
  return speeds.map((speed, i): RulePoint => {
    lon += (speed * step) / 3600 / KM_PER_DEGREE
    return at((options.startSec ?? 0) + i * step, { lat: 0, lon, speed, ignition: true })
  })
}

/** Midday UTC: no night driving in the default zone. */
const NOON = 12 * 3600
const ALL = { from: T0 - 86_400_000, to: T0 + 30 * 86_400_000 }
const steady = (seconds: number, kmh: number) => Array.from({ length: seconds }, () => kmh)

describe('measureDriving', () => {
  it('counts one harsh braking for consecutive harsh pairs, and each acceleration', () => {
    // 60 km/h, brake hard over 3 s (−20 km/h/s), then two separate hard accelerations.
    const speeds = [
      ...steady(60, 60),
      40,
      20,
      0,
      ...steady(5, 0),
      15,
      20,
      20,
      35,
      ...steady(60, 40),
    ]
    const m = measureDriving(drive(speeds), ALL)
    expect(m.harshBrakings).toBe(1)
    expect(m.harshAccelerations).toBe(2)
  })

  it('measures seconds over the speed limit the organization set', () => {
    const points = drive([...steady(120, 80), ...steady(30, 120), ...steady(60, 80)])
    expect(measureDriving(points, ALL).speedingSec).toBeCloseTo(30, 0)
    expect(measureDriving(points, ALL, { speedLimitKmh: 70 }).speedingSec).toBeCloseTo(209, 0)
  })

  it('counts night driving in the time zone asked for', () => {
    // T0 is midnight UTC: 01:00 in Berlin (night), 19:00 the day before in New York (not).
    const points = drive(steady(600, 50))
    expect(measureDriving(points, ALL, { timeZone: 'Europe/Berlin' }).nightSec).toBeCloseTo(599, 0)
    expect(measureDriving(points, ALL, { timeZone: 'America/New_York' }).nightSec).toBe(0)
  })

  it('counts driving past the continuous limit until a long enough break', () => {
    const stepSec = 60
    const hours = (h: number, kmh: number) => steady((h * 3600) / stepSec, kmh)
    // 5 h with a 20-minute stop after 3 h (too short a break), a 1 h break, then 1 h more.
    const speeds = [
      ...hours(3, 80),
      ...hours(1 / 3, 0),
      ...hours(2, 80),
      ...hours(1, 0),
      ...hours(1, 80),
    ]
    const m = measureDriving(drive(speeds, { stepSec }), ALL)
    expect(m.longDrivingSec).toBeGreaterThan(0.4 * 3600)
    expect(m.longDrivingSec).toBeLessThan(0.6 * 3600)
    expect(LONG_DRIVING_LIMIT_SEC).toBe(4.5 * 3600)
  })

  it('counts only what starts in the span, so adjacent spans add up to the whole', () => {
    const points = drive([...steady(300, 60), 30, 0, ...steady(300, 60)])
    const mid = T0 + 200_000
    const whole = measureDriving(points, ALL)
    const left = measureDriving(points, { from: ALL.from, to: mid })
    const right = measureDriving(points, { from: mid, to: ALL.to })
    const sum = addMeasures(left, right)
    expect(sum.distanceKm).toBeCloseTo(whole.distanceKm, 9)
    expect(sum.harshBrakings).toBe(whole.harshBrakings)
    expect(sum.drivingSec).toBeCloseTo(whole.drivingSec, 9)
  })
})

describe('scoreDriving', () => {
  it('is 100 for a clean drive and explains every point it takes off', () => {
    const clean = measureDriving(drive(steady(3600, 60), { startSec: NOON }), ALL)
    expect(scoreDriving(clean).score).toBe(100)
    const rough = { ...clean, harshBrakings: 3, speedingSec: 120 }
    const { score, breakdown } = scoreDriving(rough)
    const penalties = breakdown.reduce((sum, line) => sum + line.penalty, 0)
    expect(score).toBeCloseTo(100 - penalties, 1)
    const braking = breakdown.find((l) => l.component === 'harshBraking')
    expect(braking?.value).toBeCloseTo((3 / clean.distanceKm) * 100, 2)
    expect(braking?.penalty).toBeCloseTo(braking!.value * DEFAULT_SCORE_WEIGHTS.harshBraking, 2)
  })

  it('applies the organization weights and never goes below zero', () => {
    const m = measureDriving(drive(steady(600, 60), { startSec: NOON }), ALL)
    const rough = { ...m, harshAccelerations: 50 }
    expect(scoreDriving(rough, { harshAcceleration: 0 }).score).toBe(100)
    expect(scoreDriving(rough).score).toBe(0)
  })

  it('has no score without distance', () => {
    expect(scoreDriving(measureDriving([], ALL)).score).toBeNull()
  })
})
