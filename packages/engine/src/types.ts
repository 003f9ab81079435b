import type { Reading, RuleReadingName } from './reading.ts'

/**
 * The rules engine's vocabulary. Everything here is plain JSON (times are epoch ms), so states and
 * alerts can be stored, sent over the bus and compared by value.
 */

export const RULE_KINDS = [
  'overspeed',
  'high_rpm',
  'low_fuel',
  'fuel_drop',
  'refuel',
  'overheat',
  'idle',
  'harsh',
  'offline',
  'geofence_enter',
  'geofence_exit',
  'anomaly',
] as const

export type RuleKind = (typeof RULE_KINDS)[number]

/**
 * Alerts raised without a rule to configure: an identifier no driver carries, a service due.
 * They are stored, listed, delivered to webhooks and notified like the rules' alerts.
 */
export const SYSTEM_ALERT_KINDS = ['unknown_driver', 'maintenance_due'] as const
export const ALERT_KINDS = [...RULE_KINDS, ...SYSTEM_ALERT_KINDS] as const
export type AlertKind = (typeof ALERT_KINDS)[number]

/** One telemetry point as the rules see it: its time and the readings marked `rules` in READINGS. */
export interface RulePoint extends Pick<Reading, RuleReadingName> {
  /** Device time, epoch ms. */
  time: number
}

/** What `toRulePoint` accepts: a `LivePoint`, a `TelemetryInsert` or a `RulePoint`. */
export type RulePointInput = { time: number } & {
  [K in RuleReadingName]?: RulePoint[K] | undefined
}

/** A rule as an organization configures it (`rules.*` on the wire). */
export interface RuleConfig {
  id: string
  kind: RuleKind
  threshold?: number | null
  durationSec?: number | null
  /** Set: the rule applies to this vehicle only and overrides the org-wide rules of its kind. */
  vehicleId?: string | null
  /** geofence_enter/exit: the fence to watch; unset: every fence in the context. */
  geofenceId?: string | null
}

export type GeofenceShape =
  | { type: 'circle'; lat: number; lon: number; radiusM: number }
  /** Vertices as [lat, lon]; the ring closes itself. */
  | { type: 'polygon'; points: [number, number][] }

export interface Geofence {
  id: string
  name?: string
  shape: GeofenceShape
}

/**
 * One version of an alert. An episode alert is emitted when it qualifies (no `endTime`) and again,
 * under the same `key`, when the episode ends (with `endTime`): consumers upsert by `key`.
 */
export interface AlertEvent {
  /** The rule that raised it; empty for the kinds raised without one (SYSTEM_ALERT_KINDS). */
  ruleId: string
  kind: AlertKind
  vehicleId: string
  /** Start of the episode, epoch ms. */
  time: number
  /** End of the episode; absent while it is still going on. */
  endTime?: number
  value: number | null
  message: string
  /** Deterministic idempotency key: `${ruleId}:${vehicleId}[:${subject}]:${time}`. */
  key: string
  /** What within the rule: the geofence id, the anomaly signal; null otherwise. */
  subject: string | null
  /** Stream time of the point (or due time of the tick) that produced this version. */
  emittedAt: number
}

export type BaselineSignal = 'coolantTemp' | 'rpm'

export interface BaselineSettings {
  /** Samples a speed band needs before it can flag (default 200). */
  minSamples?: number
  /** Signals the anomaly rule watches (default both). */
  signals?: readonly BaselineSignal[]
}

/** Everything a vehicle's evaluation needs besides its state and points. */
export interface RuleContext {
  vehicleId: string
  /** The organization's rules; `selectVehicleRules` picks the ones for `vehicleId`. */
  rules: readonly RuleConfig[]
  geofences?: readonly Geofence[]
  baseline?: BaselineSettings
}
