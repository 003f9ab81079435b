// Test helpers: point builders, a seeded PRNG and a random vehicle stream. Not used by the engine.
import type { RuleConfig, RuleContext, RulePoint } from './types.ts'

/** 2024-03-01T00:00:00Z: every crafted stream starts here. */
export const T0 = Date.UTC(2024, 2, 1)
export const VEHICLE = 'veh-1'

/** A point `sec` seconds after T0; unset fields are null. */
export function at(sec: number, fields: Partial<Omit<RulePoint, 'time'>> = {}): RulePoint {
  return {
    time: T0 + sec * 1000,
    lat: null,
    lon: null,
    speed: null,
    rpm: null,
    fuel: null,
    coolantTemp: null,
    engineLoad: null,
    odometer: null,
    ignition: null,
    accuracy: null,
    valid: null,
    driverId: null,
    ...fields,
  }
}

/** Points every `stepSec` from `fromSec` (inclusive) to `toSec` (exclusive). */
export function series(
  fromSec: number,
  toSec: number,
  stepSec: number,
  fields: (sec: number) => Partial<Omit<RulePoint, 'time'>>,
): RulePoint[] {
  const out: RulePoint[] = []
  for (let sec = fromSec; sec < toSec; sec += stepSec) out.push(at(sec, fields(sec)))
  return out
}

export function contextFor(rules: RuleConfig[], extra: Partial<RuleContext> = {}): RuleContext {
  return { vehicleId: VEHICLE, rules, ...extra }
}

/** mulberry32: small, fast, good enough for test data. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Mode = 'drive' | 'idle' | 'parked' | 'hot'

/**
 * A plausible stretch of one vehicle: driving, idling, parked with the ignition off, engine running
 * hot; data gaps, overspeeds, noisy sensors, refuels and siphoning, wandering around Berlin centre.
 */
export function generateStream(seed: number, count: number): RulePoint[] {
  const random = createRandom(seed)
  const points: RulePoint[] = []
  let mode: Mode = 'drive'
  let sec = 0
  let speed = 0
  let fuel = 60
  let odometer = 1000
  let lat = 52.52
  let lon = 13.4
  for (let i = 0; i < count; i++) {
    if (random() < 0.02)
      mode = (['drive', 'drive', 'idle', 'parked', 'hot'] as const)[Math.floor(random() * 5)]!
    sec += random() < 0.02 ? 600 + Math.floor(random() * 1800) : 1 + Math.floor(random() * 20)
    const target =
      mode === 'drive' || mode === 'hot' ? (random() < 0.1 ? 125 : 30 + random() * 60) : 0
    speed = Math.max(0, speed + (target - speed) * random() * 0.6 + (random() - 0.5) * 20)
    if (mode === 'idle' || mode === 'parked') speed = random() < 0.9 ? 0 : speed
    const heading = random() * Math.PI * 2
    const km = (speed * 10) / 3600
    lat = Math.abs(lat - 52.52) > 0.03 ? 52.52 : lat + (Math.cos(heading) * km) / 111
    lon = Math.abs(lon - 13.4) > 0.05 ? 13.4 : lon + (Math.sin(heading) * km) / 68
    odometer += km
    fuel = Math.max(0, fuel - km * 0.08 + (random() - 0.5) * 0.6)
    if (speed < 3 && random() < 0.01) fuel = Math.min(100, fuel + 20 + random() * 30)
    if (speed < 3 && random() < 0.01) fuel = Math.max(0, fuel - 12 - random() * 10)
    const hot = mode === 'hot' ? 30 : random() < 0.01 ? 40 : 0
    const coolant = 85 + speed / 10 + (random() - 0.5) * 4 + hot
    const ignition = mode !== 'parked'
    const nullable = (x: number) => (random() < 0.03 ? null : x)
    points.push(
      at(sec, {
        lat: nullable(lat),
        lon: nullable(lon),
        speed: nullable(Math.round(speed * 10) / 10),
        rpm: ignition ? nullable(800 + speed * 30) : 0,
        fuel: nullable(Math.round(fuel * 10) / 10),
        coolantTemp: nullable(Math.round(coolant * 10) / 10),
        odometer: Math.round(odometer * 100) / 100,
        ignition: random() < 0.02 ? null : ignition,
      }),
    )
  }
  return points
}
