import type { Random } from './random.ts'

/**
 * Faults a vehicle or its tracker can show, for the alert rules to catch:
 * - `overspeed`: the driver races (about 100-125 km/h on city streets), running lights;
 * - `high_rpm`: the driver holds a low gear, engine at 4900-6300 rpm;
 * - `overheat`: coolant climbs past 110 °C towards 126 °C while the engine runs;
 * - `fuel_drop`: the tank loses 15-30 points of fuel at once (theft, a leak, a bad sender);
 * - `silent`: the tracker records nothing for a few minutes (the vehicle keeps moving).
 */
export const ANOMALY_KINDS = ['overspeed', 'high_rpm', 'overheat', 'fuel_drop', 'silent'] as const
export type AnomalyKind = (typeof ANOMALY_KINDS)[number]

/** How long an episode lasts, seconds [min, max]; `fuel_drop` is instantaneous. */
export const ANOMALY_DURATION_SEC: Record<AnomalyKind, readonly [number, number]> = {
  overspeed: [60, 180],
  high_rpm: [45, 120],
  overheat: [360, 600],
  fuel_drop: [0, 0],
  silent: [180, 480],
}

export const FUEL_DROP_PERCENT = [15, 30] as const
export const OVERSPEED_KMH = [100, 125] as const

export interface AnomalyConfig {
  kinds: readonly AnomalyKind[]
  /** Mean seconds between episodes, per vehicle (a Poisson process). */
  meanIntervalSec: number
}

export const NO_ANOMALIES: AnomalyConfig = { kinds: [], meanIntervalSec: 900 }

export interface AnomalyState {
  /** Simulation second at which the next episode is due. */
  nextAtSec: number
  active: { kind: AnomalyKind; untilSec: number } | null
}

/** What the vehicle is doing, so an anomaly starts only where it can show. */
export interface AnomalyContext {
  isDriving: boolean
  isIgnitionOn: boolean
  fuelPercent: number
}

const RETRY_LATER_SEC = 20

export function createAnomalyState(config: AnomalyConfig, rng: Random): AnomalyState {
  return { nextAtSec: rng.exponential(config.meanIntervalSec), active: null }
}

function canShow(kind: AnomalyKind, context: AnomalyContext): boolean {
  if (kind === 'overspeed' || kind === 'high_rpm') return context.isDriving
  if (kind === 'overheat') return context.isIgnitionOn
  // A drop must be visible and must not empty the tank.
  if (kind === 'fuel_drop') return context.fuelPercent >= FUEL_DROP_PERCENT[1] + 5
  return true
}

/** Starts an episode of `kind` now (the scheduler calls this; tests and demos may too). */
export function startAnomaly(state: AnomalyState, kind: AnomalyKind, nowSec: number, rng: Random) {
  const [min, max] = ANOMALY_DURATION_SEC[kind]
  state.active = { kind, untilSec: nowSec + rng.between(min, max) }
}

/**
 * Moves the anomaly schedule to `nowSec`: ends an episode that is over and starts the next one
 * when it is due and can show (otherwise tries again a little later). Returns the kind started.
 */
export function advanceAnomalies(input: {
  state: AnomalyState
  config: AnomalyConfig
  rng: Random
  nowSec: number
  context: AnomalyContext
}): AnomalyKind | null {
  const { state, config, rng, nowSec } = input
  if (state.active && nowSec >= state.active.untilSec) {
    state.active = null
    state.nextAtSec = nowSec + rng.exponential(config.meanIntervalSec)
  }
  if (state.active || config.kinds.length === 0 || nowSec < state.nextAtSec) return null
  const kind = rng.pick(config.kinds)
  if (!canShow(kind, input.context)) {
    state.nextAtSec = nowSec + RETRY_LATER_SEC
    return null
  }
  startAnomaly(state, kind, nowSec, rng)
  return kind
}

export function isAnomalyActive(state: AnomalyState, kind: AnomalyKind): boolean {
  return state.active?.kind === kind
}
