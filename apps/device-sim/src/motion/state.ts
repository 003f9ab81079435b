import type { AnomalyState } from '../anomalies.ts'
import { type EngineReading, VEHICLE_SPEC } from './engine.ts'

/**
 * What a vehicle is doing. `driving` covers accelerating, cruising and braking (the sign of
 * `accelMs2` tells which); `stopped` is waiting at a red light with the engine running;
 * `starting` is the engine idling before pulling away; `parked` and `refuelling` have it off.
 */
export type Phase = 'parked' | 'refuelling' | 'starting' | 'driving' | 'stopped'

/** What happens at the end of the current street: drive on, slow for a turn, stop, or park. */
export type EndAction = 'through' | 'turn' | 'signal' | 'park'

export interface Driver {
  /** Share of the speed limit this driver cruises at. */
  speedFactor: number
  accelMs2: number
  brakeMs2: number
}

export interface VehicleState {
  phase: Phase
  /** Seconds left in a timed phase (parked, refuelling, starting, stopped). */
  phaseLeftSec: number
  /** The street being driven: from one junction to the next, and the junction after that. */
  from: number
  to: number
  next: number
  edgeM: number
  alongM: number
  endAction: EndAction
  signalWaitSec: number
  speedMs: number
  accelMs2: number
  /** Slow drift around the cruising speed, a share of it (±5 %). */
  cruiseDrift: number
  tripLeftM: number
  isFuelNeeded: boolean
  refuelRateLPerSec: number
  overspeedMs: number
  driver: Driver
  odometerKm: number
  fuelL: number
  coolantC: number
  ambientC: number
  engine: EngineReading
  elapsedSec: number
  anomaly: AnomalyState
}

export const MAX_SPEED_KMH = 135

export function isIgnitionOn(state: VehicleState): boolean {
  return state.phase !== 'parked' && state.phase !== 'refuelling'
}

export function computeFuelPercent(state: VehicleState): number {
  return (100 * state.fuelL) / VEHICLE_SPEC.tankL
}
