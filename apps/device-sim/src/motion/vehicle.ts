import { type AnomalyConfig, createAnomalyState } from '../anomalies.ts'
import { computeAltitude, computeHeading } from '../geo.ts'
import type { Random } from '../random.ts'
import { type City, findNeighbours, getNode, measureEdgeM } from './city.ts'
import { readEngine, VEHICLE_SPEC } from './engine.ts'
import { planStreetEnd } from './route.ts'
import { computeFuelPercent, isIgnitionOn, type Phase, type VehicleState } from './state.ts'

/** A vehicle somewhere in the city: three in four already on the road, the rest parked. */
export function createVehicle(input: {
  city: City
  rng: Random
  ambientC: number
  anomalies: AnomalyConfig
}): VehicleState {
  const { city, rng } = input
  const from = rng.int(0, city.nodes.length - 1)
  const to = rng.pick(findNeighbours(city, from))
  const isDriving = rng.chance(0.75)
  const edgeM = measureEdgeM(city, from, to)
  const speedMs = isDriving ? rng.between(3, 10) : 0
  const state: VehicleState = {
    phase: isDriving ? 'driving' : 'parked',
    phaseLeftSec: isDriving ? 0 : rng.between(10, 300),
    from,
    to,
    next: from, // planned below
    edgeM,
    alongM: rng.between(0, edgeM * 0.5),
    endAction: 'through',
    signalWaitSec: 0,
    speedMs,
    accelMs2: 0,
    cruiseDrift: 0,
    tripLeftM: rng.between(1_000, 10_000),
    isFuelNeeded: false,
    refuelRateLPerSec: 0,
    overspeedMs: 0,
    driver: {
      speedFactor: rng.between(0.88, 1.06),
      accelMs2: rng.between(1.4, 2.6),
      brakeMs2: rng.between(2.0, 3.0),
    },
    odometerKm: rng.between(5_000, 180_000),
    fuelL: (VEHICLE_SPEC.tankL * rng.between(18, 100)) / 100,
    coolantC: isDriving ? rng.between(86, 92) : input.ambientC + rng.between(0, 30),
    ambientC: input.ambientC,
    engine: readEngine({ speedMs, accelMs2: 0, isIgnitionOn: isDriving, isRevving: false }),
    elapsedSec: 0,
    anomaly: createAnomalyState(input.anomalies, rng),
  }
  planStreetEnd(state, city, rng)
  return state
}

/** One reading of everything a tracker reports, in telemetry units (before rounding). */
export interface VehicleSample {
  lat: number
  lon: number
  altitude: number
  speedKmh: number
  heading: number
  rpm: number
  engineLoad: number
  coolantC: number
  fuelPercent: number
  odometerKm: number
  isIgnitionOn: boolean
  status: Phase
}

export function sampleVehicle(city: City, state: VehicleState): VehicleSample {
  const a = getNode(city, state.from)
  const b = getNode(city, state.to)
  const share = state.edgeM > 0 ? Math.min(1, state.alongM / state.edgeM) : 0
  const plane = { x: a.x + (b.x - a.x) * share, y: a.y + (b.y - a.y) * share }
  const { lat, lon } = city.projection.toLatLon(plane)
  return {
    lat,
    lon,
    altitude: computeAltitude(plane, city.altitudeBaseM),
    speedKmh: state.speedMs * 3.6,
    heading: computeHeading(b.x - a.x, b.y - a.y),
    rpm: state.engine.rpm,
    engineLoad: state.engine.engineLoad,
    coolantC: state.coolantC,
    fuelPercent: computeFuelPercent(state),
    odometerKm: state.odometerKm,
    isIgnitionOn: isIgnitionOn(state),
    status: state.phase,
  }
}
