import { applyAlertChanges, compareAlerts } from './alerts.ts'
import { type Baseline, createBaseline, learnBaseline, scoreBaseline } from './baseline.ts'
import { type ResolvedRule, resolveVehicleRules } from './config.ts'
import { countStretch, createCounters, type VehicleCounters } from './counters.ts'
import { FUEL_HANDLERS } from './fuel-rules.ts'
import { EPISODE_MAX_GAP_MS, type RuleHandler } from './handler.ts'
import { MOTION_HANDLERS } from './motion-rules.ts'
import { comparePoints, sortPoints, toRulePoint } from './points.ts'
import { THRESHOLD_HANDLERS } from './threshold-rules.ts'
import { cleanFix, createTrackState, type TrackState } from './track.ts'
import type { AlertEvent, RuleContext, RuleKind, RulePoint, RulePointInput } from './types.ts'
import { WATCH_HANDLERS } from './watch-rules.ts'

const HANDLERS = {
  ...THRESHOLD_HANDLERS,
  ...FUEL_HANDLERS,
  ...MOTION_HANDLERS,
  ...WATCH_HANDLERS,
} as Record<RuleKind, RuleHandler<unknown>>

/** One vehicle's evaluation state: plain JSON, keep it per vehicle or store it. */
export interface VehicleState {
  /** Time of the newest point consumed; points at or before it are late. */
  lastTime: number | null
  /** The newest point consumed, cleaned (`cleanFix`): what the rules saw, their next `prev`. */
  last: RulePoint | null
  /**
   * The same point as received: an exact duplicate of it is ignored. Absent in states stored
   * before position quality (their `last` is as received).
   */
  lastReceived?: RulePoint | null
  /** The position cleaner's state (`track.ts`); absent in states stored before it: a fresh one. */
  track?: TrackState
  baseline: Baseline
  /** Distance and engine time so far (`counters.ts`); absent in states stored before them. */
  counters?: VehicleCounters
  /** Per rule id: its kind (a changed kind restarts the rule) and its reducer state. */
  rules: Record<string, { kind: RuleKind; state: unknown }>
}

export interface StepResult {
  state: VehicleState
  /** New alert versions (upsert by key). */
  alerts: AlertEvent[]
  /** Keys of alerts that no longer hold (a ticked offline alert the data disproved). */
  retracted: string[]
  /** Set when the point was late: re-evaluate from this time (see replay.ts). */
  needsReplayFrom: number | null
}

export function createVehicleState(): VehicleState {
  return {
    lastTime: null,
    last: null,
    lastReceived: null,
    track: createTrackState(),
    baseline: createBaseline(),
    counters: createCounters(),
    rules: {},
  }
}

function readRuleState(state: VehicleState, rule: ResolvedRule): unknown {
  const held = state.rules[rule.id]
  return held && held.kind === rule.kind ? held.state : HANDLERS[rule.kind].create()
}

/** The speed the device reported, as cleaned: null where it was derived or its fix flagged. */
function readReportedSpeed(received: RulePoint | null, cleaned: RulePoint | null): number | null {
  return received?.speed === null ? null : (cleaned?.speed ?? null)
}

/**
 * Consumes one point. Points must come in time order: a point at or before `lastTime` changes
 * nothing and asks for a replay, except an exact duplicate of the last point, which is ignored.
 * The rules see the point cleaned by `cleanFix` (outliers and invalid fixes hold the last good
 * position and have no speed; a missing speed is derived from positions).
 */
export function step(state: VehicleState, input: RulePointInput, ctx: RuleContext): StepResult {
  const received = toRulePoint(input)
  const lastReceived = state.lastReceived === undefined ? state.last : state.lastReceived
  if (state.lastTime !== null && received.time <= state.lastTime) {
    const isDuplicate = lastReceived !== null && comparePoints(lastReceived, received) === 0
    const needsReplayFrom = isDuplicate ? null : received.time
    return { state, alerts: [], retracted: [], needsReplayFrom }
  }
  const cleaned = cleanFix(state.track ?? createTrackState(), received)
  const point = cleaned.point
  const prev = state.last
  const reportedSpeed = readReportedSpeed(received, point)
  const prevReportedSpeed = readReportedSpeed(lastReceived, prev)
  const all = scoreBaseline(state.baseline, point, ctx.baseline)
  const signals = ctx.baseline?.signals
  const scores = signals ? all.filter((s) => signals.includes(s.signal)) : all
  const isGap = prev !== null && point.time - prev.time > EPISODE_MAX_GAP_MS
  const alerts: AlertEvent[] = []
  const retracted: string[] = []
  const rules: VehicleState['rules'] = {}
  for (const rule of resolveVehicleRules(ctx.rules, ctx.vehicleId)) {
    const handler = HANDLERS[rule.kind]
    let ruleState = readRuleState(state, rule)
    if (isGap && handler.closeOnGap) {
      const gapInput = { rule, vehicleId: ctx.vehicleId, lastTime: prev.time, time: point.time }
      const closed = handler.closeOnGap(ruleState, gapInput)
      ruleState = closed.state
      alerts.push(...closed.alerts)
    }
    const geofences = ctx.geofences ?? []
    const out = handler.step(ruleState, {
      rule,
      vehicleId: ctx.vehicleId,
      point,
      prev,
      reportedSpeed,
      prevReportedSpeed,
      geofences,
      scores,
    })
    alerts.push(...out.alerts)
    retracted.push(...(out.retracted ?? []))
    rules[rule.id] = { kind: rule.kind, state: out.state }
  }
  const baseline = learnBaseline(state.baseline, point, all)
  return {
    state: {
      lastTime: point.time,
      last: point,
      lastReceived: received,
      track: cleaned.state,
      baseline,
      counters: countStretch(state.counters ?? createCounters(), prev, point),
      rules,
    },
    alerts,
    retracted,
    needsReplayFrom: null,
  }
}

/** Time-based rules (offline) at wall-clock `now`, between points. */
export function tick(
  state: VehicleState,
  now: number,
  ctx: RuleContext,
): { state: VehicleState; alerts: AlertEvent[] } {
  const alerts: AlertEvent[] = []
  let rules = state.rules
  for (const rule of resolveVehicleRules(ctx.rules, ctx.vehicleId)) {
    const handler = HANDLERS[rule.kind]
    if (!handler.tick) continue
    const input = { rule, vehicleId: ctx.vehicleId, lastTime: state.lastTime, now }
    const out = handler.tick(readRuleState(state, rule), input)
    alerts.push(...out.alerts)
    rules = { ...rules, [rule.id]: { kind: rule.kind, state: out.state } }
  }
  return { state: alerts.length > 0 ? { ...state, rules } : state, alerts }
}

/** Alerts already emitted for episodes that are still open in `state`. */
export function listOpenAlerts(state: VehicleState, ctx: RuleContext): AlertEvent[] {
  return resolveVehicleRules(ctx.rules, ctx.vehicleId).flatMap((rule) =>
    HANDLERS[rule.kind].listOpen(readRuleState(state, rule)),
  )
}

export interface FoldOptions {
  /** Start from this state instead of a fresh one (a saved state, a replay checkpoint). */
  state?: VehicleState
  /** Tick time-based rules at this time after the last point (e.g. now). */
  until?: number
}

/** The history path: canonical order, every point stepped, then an optional final tick. */
export function foldHistory(
  points: readonly RulePointInput[],
  ctx: RuleContext,
  options: FoldOptions = {},
): { state: VehicleState; alerts: AlertEvent[] } {
  let state = options.state ?? createVehicleState()
  const store = new Map<string, AlertEvent>()
  for (const point of sortPoints(points)) {
    if (state.lastTime !== null && point.time <= state.lastTime) continue
    const out = step(state, point, ctx)
    state = out.state
    applyAlertChanges(store, out)
  }
  if (options.until !== undefined) {
    const out = tick(state, options.until, ctx)
    state = out.state
    applyAlertChanges(store, out)
  }
  return { state, alerts: [...store.values()].sort(compareAlerts) }
}

/** Reprocesses a vehicle's points (any order): the current version of every alert. */
export function evaluateHistory(
  points: readonly RulePointInput[],
  ctx: RuleContext,
  options: FoldOptions = {},
): AlertEvent[] {
  return foldHistory(points, ctx, options).alerts
}
