import type { BaselineScore } from './baseline.ts'
import type { ResolvedRule } from './config.ts'
import type { AlertEvent, Geofence, RulePoint } from './types.ts'

/** What a rule sees for one point. `prev` is the vehicle's previous point (null for the first). */
export interface RuleStepInput {
  rule: ResolvedRule
  vehicleId: string
  point: RulePoint
  prev: RulePoint | null
  /**
   * The point's and the previous point's speed as the device reported them (null where the
   * speed was derived from positions, or dropped with a flagged fix): `point.speed` and
   * `prev.speed` include derived speeds.
   */
  reportedSpeed: number | null
  prevReportedSpeed: number | null
  geofences: readonly Geofence[]
  /** Baseline z-scores of this point, computed before the point is learned. */
  scores: readonly BaselineScore[]
}

/** A gap longer than EPISODE_MAX_GAP_MS: open episodes end at `lastTime`. */
export interface RuleGapInput {
  rule: ResolvedRule
  vehicleId: string
  lastTime: number
  time: number
}

export interface RuleTickInput {
  rule: ResolvedRule
  vehicleId: string
  lastTime: number | null
  now: number
}

export interface RuleOutput<S> {
  state: S
  alerts: AlertEvent[]
  retracted?: string[]
}

/** One rule kind: a pure reducer over its own JSON state. */
export interface RuleHandler<S> {
  create(): S
  step(state: S, input: RuleStepInput): RuleOutput<S>
  closeOnGap?(state: S, input: RuleGapInput): RuleOutput<S>
  tick?(state: S, input: RuleTickInput): RuleOutput<S>
  /** Alerts already emitted for episodes that are still open. */
  listOpen(state: S): AlertEvent[]
}

/** Erases a handler's state type so handlers of every kind fit one registry. */
export function defineHandler<S>(handler: RuleHandler<S>): RuleHandler<unknown> {
  return handler as unknown as RuleHandler<unknown>
}

/** Data gaps longer than this end every open episode (a vehicle idling overnight is not one idle). */
export const EPISODE_MAX_GAP_MS = 600_000
