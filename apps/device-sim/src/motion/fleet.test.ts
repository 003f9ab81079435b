import { TELEMETRY_RANGES, type TTelemetryPointWire, ZTelemetryPointWire } from '@fms/api/schemas'
import { describe, expect, it } from 'vitest'
import { ANOMALY_KINDS } from '../anomalies.ts'
import { type LatLon, measureDistanceM } from '../geo.ts'
import { toWirePoint } from '../point.ts'
import { VEHICLE_SPEC } from './engine.ts'
import { createFleet, type FleetOptions, stepFleet } from './fleet.ts'
import { MAX_SPEED_KMH } from './state.ts'

const BERLIN = { lat: 52.52, lon: 13.405 }
const START_MS = Date.UTC(2026, 10, 27, 8)

function baseOptions(overrides: Partial<FleetOptions> = {}): FleetOptions {
  return {
    seed: 42,
    vehicles: 5,
    center: BERLIN,
    radiusKm: 3,
    rateHz: 1,
    startMs: START_MS,
    ...overrides,
  }
}

const deviceIdOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`

/** Every vehicle's points for `ticks` ticks, as they would go on the wire. */
function runFleet(options: FleetOptions, ticks: number): TTelemetryPointWire[][] {
  const fleet = createFleet(options)
  const streams: TTelemetryPointWire[][] = fleet.vehicles.map(() => [])
  for (let k = 0; k < ticks; k++) {
    const { time, samples } = stepFleet(fleet)
    samples.forEach((sample, i) => {
      if (sample) streams[i]?.push(toWirePoint(sample, deviceIdOf(i), time))
    })
  }
  return streams
}

describe('fleet determinism', () => {
  it('produces identical point streams for the same seed', () => {
    const options = baseOptions({ anomalies: { kinds: ANOMALY_KINDS, meanIntervalSec: 120 } })
    expect(runFleet(options, 900)).toEqual(runFleet(options, 900))
  })

  it('produces different streams for another seed', () => {
    expect(runFleet(baseOptions(), 60)).not.toEqual(runFleet(baseOptions({ seed: 43 }), 60))
  })

  it('drives vehicle i the same way whatever the fleet size', () => {
    const small = runFleet(baseOptions({ vehicles: 2 }), 300)
    const large = runFleet(baseOptions({ vehicles: 12 }), 300)
    expect(large.slice(0, 2)).toEqual(small)
  })

  it('stamps points on the fixed schedule of the rate', () => {
    const [stream] = runFleet(baseOptions({ rateHz: 4, vehicles: 1 }), 5)
    expect(stream?.map((p) => p.time)).toEqual([0, 250, 500, 750, 1000].map((ms) => START_MS + ms))
  })
})

/** Collects what breaks an invariant; the test shows the first few. */
function findViolations<T>(items: Iterable<T>, check: (item: T) => string | null): string[] {
  const found: string[] = []
  for (const item of items) {
    const problem = check(item)
    if (problem) found.push(problem)
    if (found.length >= 5) break
  }
  return found
}

function* consecutive(streams: TTelemetryPointWire[][]) {
  for (const stream of streams) {
    for (let k = 1; k < stream.length; k++) {
      yield [stream[k - 1], stream[k]] as [TTelemetryPointWire, TTelemetryPointWire]
    }
  }
}

const inRange = (value: number | undefined, min: number, max: number) =>
  value !== undefined && value >= min && value <= max

describe('motion model invariants', () => {
  // 25 vehicles with every anomaly: two simulated hours at 1 Hz, twenty minutes at 5 Hz.
  const cases = [
    { rateHz: 1, ticks: 7200 },
    { rateHz: 5, ticks: 6000 },
  ]
  for (const { rateHz, ticks } of cases) {
    const streams = runFleet(
      baseOptions({
        vehicles: 25,
        rateHz,
        anomalies: { kinds: ANOMALY_KINDS, meanIntervalSec: 600 },
      }),
      ticks,
    )
    const all = streams.flat()

    it(`passes the shared wire schema at ${rateHz} Hz`, () => {
      const problems = findViolations(all, (p) => {
        const result = ZTelemetryPointWire.safeParse(p)
        return result.success ? null : result.error.message
      })
      expect(problems).toEqual([])
    })

    it(`never jumps further than its speed allows at ${rateHz} Hz`, () => {
      const problems = findViolations(consecutive(streams), ([a, b]) => {
        const dtSec = ((b.time as number) - (a.time as number)) / 1000
        const meters = measureDistanceM(a as LatLon, b as LatLon)
        // Between two readings the speed stays near theirs; across a silent tracker's gap it is
        // at most the top speed. Plus rounding and the last metres to a stop line.
        const isGap = dtSec > 1.01 / rateHz
        const speedMs = isGap ? MAX_SPEED_KMH / 3.6 : Math.max(a.speed ?? 0, b.speed ?? 0) / 3.6 + 1
        return meters <= speedMs * dtSec + 3 ? null : `${meters} m in ${dtSec} s at ${a.time}`
      })
      expect(problems).toEqual([])
    })

    it(`keeps every reading in its range at ${rateHz} Hz`, () => {
      const problems = findViolations(all, (p) => {
        const isValid =
          inRange(p.speed, 0, MAX_SPEED_KMH) &&
          inRange(p.fuel, 0, 100) &&
          inRange(p.engine_load, 0, 100) &&
          inRange(p.coolant_temp, TELEMETRY_RANGES.coolant_temp[0], 130) &&
          inRange(p.heading, 0, 359) &&
          (p.ignition
            ? inRange(p.rpm, VEHICLE_SPEC.idleRpm, VEHICLE_SPEC.redlineRpm)
            : p.rpm === 0 && p.speed === 0)
        return isValid ? null : JSON.stringify(p)
      })
      expect(problems).toEqual([])
    })

    it(`keeps the odometer counting up with the distance at ${rateHz} Hz`, () => {
      const problems = findViolations(consecutive(streams), ([a, b]) => {
        const straightKm = measureDistanceM(a as LatLon, b as LatLon) / 1000
        const drivenKm = (b.odometer as number) - (a.odometer as number)
        // The road is never shorter than the straight line (odometer rounded to 1 m).
        return drivenKm >= straightKm - 0.003
          ? null
          : `${drivenKm} km driven, ${straightKm} km apart`
      })
      expect(problems).toEqual([])
    })

    it(`drives, stops at lights and parks believably at ${rateHz} Hz`, () => {
      const share = (status: string) => all.filter((p) => p.status === status).length / all.length
      expect(share('driving')).toBeGreaterThan(0.3)
      expect(share('driving')).toBeLessThan(0.9)
      expect(share('parked')).toBeGreaterThan(0.05)
      expect(share('stopped')).toBeGreaterThan(0.01)
      const moving = all.filter((p) => (p.speed ?? 0) > 5)
      const meanKmh = moving.reduce((sum, p) => sum + (p.speed ?? 0), 0) / moving.length
      expect(meanKmh).toBeGreaterThan(20)
      expect(meanKmh).toBeLessThan(60)
    })
  }

  it('burns fuel at a plausible rate', () => {
    const fleet = createFleet(baseOptions({ vehicles: 10 }))
    const start = fleet.vehicles.map((v) => ({ fuelL: v.state.fuelL, km: v.state.odometerKm }))
    for (let k = 0; k < 3600; k++) stepFleet(fleet)
    for (const [i, vehicle] of fleet.vehicles.entries()) {
      const before = start[i] as { fuelL: number; km: number }
      const km = vehicle.state.odometerKm - before.km
      const litresPer100Km = ((before.fuelL - vehicle.state.fuelL) / Math.max(km, 1)) * 100
      if (km > 5 && !vehicle.state.isFuelNeeded) {
        expect(litresPer100Km).toBeGreaterThan(4)
        expect(litresPer100Km).toBeLessThan(25)
      }
    }
  })

  it('drives to refuel when low and fills the tank', () => {
    const fleet = createFleet(baseOptions({ vehicles: 10 }))
    for (const vehicle of fleet.vehicles) vehicle.state.fuelL = VEHICLE_SPEC.tankL * 0.11
    const refuelled = new Set<number>()
    for (let k = 0; k < 3600; k++) {
      stepFleet(fleet).samples.forEach((sample, i) => {
        if (sample?.status === 'refuelling') refuelled.add(i)
      })
    }
    expect(refuelled.size).toBeGreaterThanOrEqual(8)
    for (const i of refuelled) {
      expect(fleet.vehicles[i]?.state.fuelL).toBeGreaterThan(VEHICLE_SPEC.tankL * 0.8)
    }
  })
})
