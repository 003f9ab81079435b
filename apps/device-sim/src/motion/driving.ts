import {
  type AnomalyConfig,
  type AnomalyKind,
  advanceAnomalies,
  FUEL_DROP_PERCENT,
  isAnomalyActive,
  OVERSPEED_KMH,
} from '../anomalies.ts'
import type { Random } from '../random.ts'
import type { City } from './city.ts'
import { approachCoolant, computeMaxAccelMs2, readEngine, VEHICLE_SPEC } from './engine.ts'
import { computeEndSpeedMs, computeTargetSpeedMs, enterStreet, planStreetEnd } from './route.ts'
import { computeFuelPercent, isIgnitionOn, MAX_SPEED_KMH, type VehicleState } from './state.ts'

/** Physics runs in steps of at most this, whatever the reporting rate. */
const MAX_STEP_SEC = 0.5
const STOP_GAP_M = 1
const ARRIVED_WITHIN_M = 2.5
const HARDEST_BRAKING_MS2 = 7
const TRIP_M = [2_000, 12_000] as const
const PARKED_SEC = [60, 900] as const
const REFUELLING_SEC = [240, 420] as const
const WARM_UP_SEC = [5, 30] as const

/** Applies what an anomaly does the moment it starts. */
export function applyAnomalyStart(state: VehicleState, kind: AnomalyKind, rng: Random): void {
  if (kind === 'overspeed') state.overspeedMs = rng.between(...OVERSPEED_KMH) / 3.6
  if (kind === 'fuel_drop') {
    const dropL = (VEHICLE_SPEC.tankL * rng.between(...FUEL_DROP_PERCENT)) / 100
    state.fuelL = Math.max(0, state.fuelL - dropL)
  }
}

/** Leaves a stop: on along the planned route, or a new plan when stopped mid-street. */
function pullAway(state: VehicleState, city: City, rng: Random): void {
  state.phase = 'driving'
  if (state.alongM >= state.edgeM) {
    enterStreet({ state, city, rng, from: state.to, to: state.next, carryM: 0 })
  } else {
    planStreetEnd(state, city, rng)
  }
}

function arrive(state: VehicleState, city: City, rng: Random, overflowM: number): void {
  if (state.endAction === 'park' || state.endAction === 'signal') {
    state.alongM = state.edgeM
    state.speedMs = 0
    state.accelMs2 = 0
    if (state.endAction === 'signal') {
      state.phase = 'stopped'
      state.phaseLeftSec = state.signalWaitSec
    } else if (state.isFuelNeeded) {
      state.phase = 'refuelling'
      state.phaseLeftSec = rng.between(...REFUELLING_SEC)
      const targetL = (VEHICLE_SPEC.tankL * rng.between(95, 100)) / 100
      state.refuelRateLPerSec = Math.max(0, targetL - state.fuelL) / state.phaseLeftSec
    } else {
      state.phase = 'parked'
      state.phaseLeftSec = rng.between(...PARKED_SEC)
    }
    return
  }
  enterStreet({ state, city, rng, from: state.to, to: state.next, carryM: overflowM })
}

/** Longitudinal control: accelerate towards the target, cruise, brake for what ends the street. */
function drive(state: VehicleState, city: City, rng: Random, dt: number): void {
  state.cruiseDrift = Math.max(
    -0.05,
    Math.min(0.05, state.cruiseDrift + rng.between(-0.02, 0.02) * dt),
  )
  const v = state.speedMs
  const targetMs = computeTargetSpeedMs(state, city, state.from, state.to)
  const endMs = computeEndSpeedMs(state, city)
  const isStopping = state.endAction === 'park' || state.endAction === 'signal'
  const leftM = state.edgeM - state.alongM
  const reachM = leftM - (isStopping ? STOP_GAP_M : 0)
  const brakingM = (v * v - endMs * endMs) / (2 * state.driver.brakeMs2)
  let accel: number
  if (v > endMs && reachM <= brakingM + v * dt) {
    accel = Math.max(-HARDEST_BRAKING_MS2, -(v * v - endMs * endMs) / (2 * Math.max(reachM, 0.5)))
  } else if (v < targetMs) {
    accel = Math.min(state.driver.accelMs2, computeMaxAccelMs2(v)) * Math.min(1, (targetMs - v) / 2)
  } else {
    accel = Math.max(-1.5, (targetMs - v) / 2)
  }
  let v2 = Math.max(0, Math.min(MAX_SPEED_KMH / 3.6, v + accel * dt))
  let moveM = ((v + v2) / 2) * dt
  const hasArrived = isStopping && v2 < 0.5 && leftM - moveM < ARRIVED_WITHIN_M
  if (hasArrived) {
    moveM = leftM
    v2 = 0
  }
  state.accelMs2 = (v2 - v) / dt
  state.speedMs = v2
  state.alongM += moveM
  state.odometerKm += moveM / 1000
  if (hasArrived || state.alongM >= state.edgeM)
    arrive(state, city, rng, state.alongM - state.edgeM)
}

function startTrip(state: VehicleState, rng: Random): void {
  state.phase = 'starting'
  state.phaseLeftSec = rng.between(...WARM_UP_SEC)
  state.tripLeftM = rng.between(...TRIP_M)
}

function step(state: VehicleState, city: City, rng: Random, dt: number): void {
  state.elapsedSec += dt
  if (state.phase === 'driving') {
    drive(state, city, rng, dt)
  } else {
    state.accelMs2 = 0
    state.phaseLeftSec -= dt
    if (state.phase === 'refuelling') {
      state.fuelL = Math.min(VEHICLE_SPEC.tankL, state.fuelL + state.refuelRateLPerSec * dt)
    }
    if (state.phaseLeftSec <= 0) {
      if (state.phase === 'refuelling') state.isFuelNeeded = false
      if (state.phase === 'parked' || state.phase === 'refuelling') startTrip(state, rng)
      else pullAway(state, city, rng)
    }
  }
  const isOn = isIgnitionOn(state)
  state.engine = readEngine({
    speedMs: state.speedMs,
    accelMs2: state.accelMs2,
    isIgnitionOn: isOn,
    isRevving: isAnomalyActive(state.anomaly, 'high_rpm') && state.phase === 'driving',
  })
  state.fuelL = Math.max(0, state.fuelL - state.engine.fuelLPerSec * dt)
  state.coolantC = approachCoolant({
    coolantC: state.coolantC,
    ambientC: state.ambientC,
    isIgnitionOn: isOn,
    engineLoad: state.engine.engineLoad,
    isOverheating: isAnomalyActive(state.anomaly, 'overheat'),
    dtSec: dt,
  })
}

/** Moves a vehicle `dtSec` on (in short physics steps); returns an anomaly that started. */
export function advanceVehicle(input: {
  state: VehicleState
  city: City
  rng: Random
  dtSec: number
  anomalies: AnomalyConfig
}): AnomalyKind | null {
  const { state, city, rng } = input
  const started = advanceAnomalies({
    state: state.anomaly,
    config: input.anomalies,
    rng,
    nowSec: state.elapsedSec,
    context: {
      isDriving: state.phase === 'driving',
      isIgnitionOn: isIgnitionOn(state),
      fuelPercent: computeFuelPercent(state),
    },
  })
  if (started) applyAnomalyStart(state, started, rng)
  const steps = Math.max(1, Math.ceil(input.dtSec / MAX_STEP_SEC))
  for (let i = 0; i < steps; i++) step(state, city, rng, input.dtSec / steps)
  return started
}
