import { ZCreateRuleInput } from '@fms/api/schemas'
import type { RouterInputs } from '../trpc'

export type TAlertKind = RouterInputs['rules']['create']['kind']

/** Every rule (and alert) kind, read from the shared schema's enum. */
export const ALERT_KINDS: readonly TAlertKind[] = ZCreateRuleInput.shape.kind.options

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
}

export function formatAlertKind(kind: string): string {
  return LABELS[kind as TAlertKind] ?? kind
}

export const ALERT_KIND_OPTIONS = ALERT_KINDS.map((kind) => ({ value: kind, label: LABELS[kind] }))
