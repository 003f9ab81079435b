import { describe, expect, it } from 'vitest'
import {
  ANOMALY_KINDS,
  type AnomalyConfig,
  type AnomalyKind,
  advanceAnomalies,
  createAnomalyState,
} from './anomalies.ts'
import { VEHICLE_SPEC } from './motion/engine.ts'
import { createFleet, stepFleet, triggerAnomaly } from './motion/fleet.ts'
import type { VehicleSample } from './motion/vehicle.ts'
import { createRandom } from './random.ts'

const CENTER = { lat: 48.1372, lon: 11.5756 }

/** One vehicle on a long trip (it never parks), its readings for `seconds` after `kind` starts. */
function observe(kind: AnomalyKind | null, seconds: number, seed = 11) {
  const fleet = createFleet({
    seed,
    vehicles: 1,
    center: CENTER,
    radiusKm: 4,
    rateHz: 1,
    startMs: 0,
  })
  const vehicle = fleet.vehicles[0]
  if (!vehicle) throw new Error('no vehicle')
  vehicle.state.tripLeftM = 1e9
  vehicle.state.fuelL = VEHICLE_SPEC.tankL * 0.6
  // Get it rolling first: anomalies that need a moving vehicle start while it drives.
  stepFleet(fleet)
  while (vehicle.state.phase !== 'driving' || vehicle.state.speedMs < 5) stepFleet(fleet)
  const before = stepFleet(fleet).samples[0] as VehicleSample
  if (kind) triggerAnomaly(fleet, 0, kind)
  const samples: (VehicleSample | null)[] = []
  for (let k = 0; k < seconds; k++) samples.push(stepFleet(fleet).samples[0] ?? null)
  return { before, samples, readings: samples.filter((s): s is VehicleSample => s !== null) }
}

const max = (values: number[]) => Math.max(...values)

describe('anomalies', () => {
  it('overspeed: the vehicle races past 95 km/h on city streets', () => {
    const { readings } = observe('overspeed', 60)
    expect(max(readings.map((r) => r.speedKmh))).toBeGreaterThan(95)
  })

  it('high_rpm: the engine runs above 4800 rpm', () => {
    const { readings } = observe('high_rpm', 45)
    const revving = readings.filter((r) => r.speedKmh > 5)
    expect(revving.length).toBeGreaterThan(10)
    expect(revving.every((r) => r.rpm >= 4800)).toBe(true)
  })

  it('overheat: the coolant climbs past 110 °C', () => {
    const { before, readings } = observe('overheat', 300)
    expect(before.coolantC).toBeLessThan(100)
    expect(max(readings.map((r) => r.coolantC))).toBeGreaterThan(110)
  })

  it('fuel_drop: the tank loses at least 15 points at once', () => {
    const { before, readings } = observe('fuel_drop', 1)
    expect(before.fuelPercent - (readings[0]?.fuelPercent ?? 100)).toBeGreaterThanOrEqual(15)
  })

  it('silent: the tracker sends nothing for minutes, then resumes', () => {
    const { samples } = observe('silent', 600)
    const silentFor = samples.findIndex((s) => s !== null)
    expect(silentFor).toBeGreaterThanOrEqual(180)
    expect(samples.slice(silentFor).every((s) => s !== null)).toBe(true)
  })

  it('without anomalies stays within limits, cool and quiet', () => {
    const { readings } = observe(null, 1800)
    expect(max(readings.map((r) => r.speedKmh))).toBeLessThan(70)
    expect(max(readings.map((r) => r.rpm))).toBeLessThan(4500)
    expect(max(readings.map((r) => r.coolantC))).toBeLessThan(100)
  })
})

describe('advanceAnomalies', () => {
  const context = { isDriving: true, isIgnitionOn: true, fuelPercent: 80 }

  function countStarts(config: AnomalyConfig, seconds: number) {
    const rng = createRandom(3)
    const state = createAnomalyState(config, rng)
    const started: AnomalyKind[] = []
    for (let nowSec = 0; nowSec < seconds; nowSec++) {
      const kind = advanceAnomalies({ state, config, rng, nowSec, context })
      if (kind) started.push(kind)
    }
    return started
  }

  it('starts only the configured kinds, about as often as configured', () => {
    const started = countStarts({ kinds: ['overheat', 'silent'], meanIntervalSec: 600 }, 36_000)
    expect(new Set(started)).toEqual(new Set(['overheat', 'silent']))
    // 10 h, a mean gap of 10 min plus the episodes themselves (3-10 min).
    expect(started.length).toBeGreaterThan(15)
    expect(started.length).toBeLessThan(60)
  })

  it('starts nothing when no kinds are configured', () => {
    expect(countStarts({ kinds: [], meanIntervalSec: 10 }, 10_000)).toEqual([])
  })

  it('names every kind the alert rules know', () => {
    expect(ANOMALY_KINDS).toEqual(['overspeed', 'high_rpm', 'overheat', 'fuel_drop', 'silent'])
  })
})
