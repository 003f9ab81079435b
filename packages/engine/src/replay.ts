import { applyAlertChanges, compareAlerts } from './alerts.ts'
import {
  createVehicleState,
  listOpenAlerts,
  type StepResult,
  step,
  tick,
  type VehicleState,
} from './engine.ts'
import { sortPoints } from './points.ts'
import type { AlertEvent, RuleContext, RulePointInput } from './types.ts'

/** The live path's per-vehicle memory: the current state plus recent checkpoints to replay from. */
export interface LiveVehicle {
  state: VehicleState
  /** Earlier states, oldest first; each is exact for every point up to its `lastTime`. */
  checkpoints: VehicleState[]
}

/** A checkpoint every 5 min of data time, the last 12 kept: late points within ~1 h replay cheaply. */
export const DEFAULT_CHECKPOINTS = { everyMs: 300_000, keep: 12 }
export type CheckpointPolicy = typeof DEFAULT_CHECKPOINTS

export function createLiveVehicle(): LiveVehicle {
  return { state: createVehicleState(), checkpoints: [] }
}

function addCheckpoint(checkpoints: VehicleState[], state: VehicleState, policy: CheckpointPolicy) {
  const newest = checkpoints[checkpoints.length - 1]
  const isDue = !newest || (state.lastTime ?? 0) - (newest.lastTime ?? 0) >= policy.everyMs
  return isDue ? [...checkpoints, state].slice(-policy.keep) : checkpoints
}

export interface LiveStepResult extends Omit<StepResult, 'state'> {
  live: LiveVehicle
}

/**
 * Steps a delivered batch of one vehicle's points (sorted first, so reordering inside a batch costs
 * nothing). Late points are left out and reported as `needsReplayFrom` (the earliest).
 */
export function recordPoints(
  live: LiveVehicle,
  points: readonly RulePointInput[],
  ctx: RuleContext,
  policy: CheckpointPolicy = DEFAULT_CHECKPOINTS,
): LiveStepResult {
  let { state, checkpoints } = live
  const result: Omit<LiveStepResult, 'live'> = { alerts: [], retracted: [], needsReplayFrom: null }
  for (const point of sortPoints(points)) {
    const out = step(state, point, ctx)
    result.alerts.push(...out.alerts)
    result.retracted.push(...out.retracted)
    if (out.needsReplayFrom !== null) {
      result.needsReplayFrom = Math.min(
        result.needsReplayFrom ?? out.needsReplayFrom,
        out.needsReplayFrom,
      )
      continue
    }
    state = out.state
    checkpoints = addCheckpoint(checkpoints, state, policy)
  }
  return { live: { state, checkpoints }, ...result }
}

/** `tick` for a live vehicle (checkpoints are untouched: they only ever follow a step). */
export function tickLive(live: LiveVehicle, now: number, ctx: RuleContext) {
  const out = tick(live.state, now, ctx)
  return { live: { ...live, state: out.state }, alerts: out.alerts }
}

/**
 * Where a replay for a late point at `from` starts: the newest checkpoint strictly before it.
 * `since` null means no checkpoint is old enough: replay the vehicle's whole history.
 */
export function findReplayStart(live: LiveVehicle, from: number) {
  const checkpoint = live.checkpoints.findLast((c) => c.lastTime !== null && c.lastTime < from)
  return { since: checkpoint?.lastTime ?? null, state: checkpoint ?? createVehicleState() }
}

export interface ReplayInput {
  live: LiveVehicle
  /** `needsReplayFrom` of the late point(s). */
  from: number
  /** The stored points after `findReplayStart(live, from).since` (all of them if null), any order. */
  points: readonly RulePointInput[]
  /** The stored alerts of this vehicle (at least those emitted after `since`). */
  previous: readonly AlertEvent[]
  ctx: RuleContext
  /** Wall-clock time: time-based rules tick after the replay. */
  now?: number
  policy?: CheckpointPolicy
}

/**
 * Re-evaluates a vehicle from the checkpoint before a late point, exactly as history would. Returns
 * the alert versions to upsert and the keys to retract: every previous alert emitted after the
 * checkpoint that the replay does not confirm.
 */
export function replayVehicle(input: ReplayInput) {
  const { live, ctx, policy = DEFAULT_CHECKPOINTS } = input
  const start = findReplayStart(live, input.from)
  const kept = live.checkpoints.filter(
    (c) => start.since !== null && (c.lastTime ?? 0) <= start.since,
  )
  const points = sortPoints(input.points).filter(
    (p) => start.since === null || p.time > start.since,
  )
  let replayed: LiveVehicle = { state: start.state, checkpoints: kept }
  const store = new Map<string, AlertEvent>()
  for (const point of points) {
    const out = recordPoints(replayed, [point], ctx, policy)
    replayed = out.live
    applyAlertChanges(store, out)
  }
  if (input.now !== undefined) {
    const out = tickLive(replayed, input.now, ctx)
    replayed = out.live
    applyAlertChanges(store, out)
  }
  // Episodes open at the checkpoint and still open now keep (re-assert) their open version.
  for (const alert of listOpenAlerts(replayed.state, ctx)) {
    if (!store.has(alert.key)) store.set(alert.key, alert)
  }
  const retracted = input.previous
    .filter((a) => (start.since === null || a.emittedAt > start.since) && !store.has(a.key))
    .map((a) => a.key)
  return { live: replayed, upserts: [...store.values()].sort(compareAlerts), retracted }
}
