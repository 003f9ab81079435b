import type { ResolvedRule } from './config.ts'
import type { AlertEvent } from './types.ts'

export function buildAlertKey(
  ruleId: string,
  vehicleId: string,
  time: number,
  subject: string | null = null,
): string {
  return subject === null
    ? `${ruleId}:${vehicleId}:${time}`
    : `${ruleId}:${vehicleId}:${subject}:${time}`
}

export interface OpenAlertInput {
  rule: ResolvedRule
  vehicleId: string
  time: number
  value: number | null
  message: string
  emittedAt: number
  subject?: string | null
}

/** The first version of an episode's alert (no `endTime`). */
export function openAlert(input: OpenAlertInput): AlertEvent {
  const subject = input.subject ?? null
  return {
    ruleId: input.rule.id,
    kind: input.rule.kind,
    vehicleId: input.vehicleId,
    time: input.time,
    value: input.value,
    message: input.message,
    key: buildAlertKey(input.rule.id, input.vehicleId, input.time, subject),
    subject,
    emittedAt: input.emittedAt,
  }
}

export interface CloseAlertInput {
  endTime: number
  value: number | null
  message: string
  emittedAt: number
}

/** The final version of an episode's alert: same key, with `endTime`. */
export function closeAlert(alert: AlertEvent, input: CloseAlertInput): AlertEvent {
  return {
    ruleId: alert.ruleId,
    kind: alert.kind,
    vehicleId: alert.vehicleId,
    time: alert.time,
    endTime: input.endTime,
    value: input.value,
    message: input.message,
    key: alert.key,
    subject: alert.subject,
    emittedAt: input.emittedAt,
  }
}

export function compareAlerts(a: AlertEvent, b: AlertEvent): number {
  return a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
}

export interface AlertChanges {
  alerts: readonly AlertEvent[]
  retracted?: readonly string[]
}

/** Applies emitted versions (last one wins) and retractions to a store keyed by alert key. */
export function applyAlertChanges(store: Map<string, AlertEvent>, changes: AlertChanges): void {
  for (const key of changes.retracted ?? []) store.delete(key)
  for (const alert of changes.alerts) store.set(alert.key, alert)
}

/** The current version of each alert, ordered by start time then key. */
export function materializeAlerts(versions: readonly AlertEvent[]): AlertEvent[] {
  const store = new Map<string, AlertEvent>()
  applyAlertChanges(store, { alerts: versions })
  return [...store.values()].sort(compareAlerts)
}
