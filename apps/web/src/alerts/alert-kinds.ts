import { ALERT_KINDS as ALL_ALERT_KINDS, RULE_KINDS as ALL_RULE_KINDS } from '@fms/api/schemas'
import type { RouterInputs } from '../trpc'

export type TRuleKind = RouterInputs['rules']['create']['kind']
export type TAlertKind = NonNullable<RouterInputs['webhooks']['create']['kinds']>[number]

/** Every rule kind, from the shared schemas. */
export const RULE_KINDS: readonly TRuleKind[] = ALL_RULE_KINDS
/** Every alert kind: the rules' and those raised without a rule (unknown driver, service due). */
export const ALERT_KINDS: readonly TAlertKind[] = ALL_ALERT_KINDS

const LABELS: Record<TAlertKind, string> = {
  overspeed: 'Overspeed',
  high_rpm: 'High RPM',
  low_fuel: 'Low fuel',
  fuel_drop: 'Fuel drop',
  refuel: 'Refuel',
  overheat: 'Overheat',
  idle: 'Idle',
  harsh: 'Harsh driving',
  offline: 'Offline',
  geofence_enter: 'Geofence enter',
  geofence_exit: 'Geofence exit',
  anomaly: 'Anomaly',
  unknown_driver: 'Unknown driver',
  maintenance_due: 'Maintenance due',
}

export function formatAlertKind(kind: string): string {
  return LABELS[kind as TAlertKind] ?? kind
}

export const ALERT_KIND_OPTIONS = ALERT_KINDS.map((kind) => ({ value: kind, label: LABELS[kind] }))
export const RULE_KIND_OPTIONS = RULE_KINDS.map((kind) => ({ value: kind, label: LABELS[kind] }))
