import {
  type AnomalyConfig,
  type AnomalyKind,
  isAnomalyActive,
  NO_ANOMALIES,
  startAnomaly,
} from '../anomalies.ts'
import type { LatLon } from '../geo.ts'
import { createRandom, deriveSeed, type Random } from '../random.ts'
import { type City, createCity } from './city.ts'
import { advanceVehicle, applyAnomalyStart } from './driving.ts'
import type { VehicleState } from './state.ts'
import { createVehicle, sampleVehicle, type VehicleSample } from './vehicle.ts'

export interface FleetOptions {
  seed: number
  vehicles: number
  center: LatLon
  radiusKm: number
  rateHz: number
  /** Time of the first sample, epoch ms. */
  startMs: number
  anomalies?: AnomalyConfig
}

interface SimVehicle {
  state: VehicleState
  /** Each vehicle has its own stream: vehicle 7 drives the same in a fleet of 10 or 10,000. */
  rng: Random
}

export interface Fleet {
  city: City
  vehicles: SimVehicle[]
  rateHz: number
  startMs: number
  anomalies: AnomalyConfig
  /** The next tick to produce (0: the starting positions). */
  tick: number
}

/** One tick: its time and every vehicle's reading (null while its tracker is silent). */
export interface FleetTick {
  tick: number
  time: number
  samples: (VehicleSample | null)[]
}

export function createFleet(options: FleetOptions): Fleet {
  const city = createCity({
    center: options.center,
    radiusKm: options.radiusKm,
    seed: options.seed,
  })
  const anomalies = options.anomalies ?? NO_ANOMALIES
  const ambientC = createRandom(deriveSeed(options.seed, 0xa1b)).between(4, 26)
  const vehicles = Array.from({ length: options.vehicles }, (_, index) => {
    const rng = createRandom(deriveSeed(options.seed, index))
    return { rng, state: createVehicle({ city, rng, ambientC, anomalies }) }
  })
  return { city, vehicles, rateHz: options.rateHz, startMs: options.startMs, anomalies, tick: 0 }
}

/** When tick `tick` is sampled, epoch ms: on a fixed schedule, never "whenever it ran". */
export function computeTickTime(fleet: Fleet, tick: number): number {
  return fleet.startMs + Math.round((tick * 1000) / fleet.rateHz)
}

/** Advances every vehicle one reporting interval (except for tick 0) and samples them. */
export function stepFleet(fleet: Fleet): FleetTick {
  const tick = fleet.tick++
  const samples = fleet.vehicles.map(({ state, rng }) => {
    if (tick > 0) {
      advanceVehicle({
        state,
        city: fleet.city,
        rng,
        dtSec: 1 / fleet.rateHz,
        anomalies: fleet.anomalies,
      })
    }
    return isAnomalyActive(state.anomaly, 'silent') ? null : sampleVehicle(fleet.city, state)
  })
  return { tick, time: computeTickTime(fleet, tick), samples }
}

/** Starts an anomaly on one vehicle now, whatever the schedule says (tests, demos). */
export function triggerAnomaly(fleet: Fleet, index: number, kind: AnomalyKind): void {
  const vehicle = fleet.vehicles[index]
  if (!vehicle) throw new Error(`no vehicle ${index}`)
  startAnomaly(vehicle.state.anomaly, kind, vehicle.state.elapsedSec, vehicle.rng)
  applyAnomalyStart(vehicle.state, kind, vehicle.rng)
}
