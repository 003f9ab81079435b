import type { AlertUpsert } from '@fms/db/queries/alerts'
import type { AlertRow, GeofenceRow, RuleRow } from '@fms/db/schema'
import type { AlertEvent, AlertKind, Geofence, RuleConfig, RuleKind } from '@fms/engine'
import type { LiveAlert } from '@fms/live'

/** Database rows to the rules engine's plain types and back. */
export function toRuleConfig(row: RuleRow): RuleConfig {
  return {
    id: row.id,
    kind: row.kind as RuleKind,
    threshold: row.threshold,
    durationSec: row.durationSec,
    vehicleId: row.vehicleId,
    geofenceId: row.geofenceId,
  }
}

export function toEngineGeofence(row: GeofenceRow): Geofence {
  return { id: row.id, name: row.name, shape: row.shape }
}

export function toAlertEvent(row: AlertRow): AlertEvent {
  return {
    ruleId: row.ruleId ?? '',
    kind: row.kind as AlertKind,
    vehicleId: row.vehicleId,
    time: row.time.getTime(),
    ...(row.endTime ? { endTime: row.endTime.getTime() } : {}),
    value: row.value,
    message: row.message,
    key: row.key,
    subject: null,
    emittedAt: row.emittedAt.getTime(),
  }
}

export function toAlertUpsert(orgId: string, alert: AlertEvent): AlertUpsert {
  return {
    orgId,
    vehicleId: alert.vehicleId,
    // Kinds raised without a rule carry an empty rule id.
    ruleId: alert.ruleId === '' ? null : alert.ruleId,
    kind: alert.kind,
    key: alert.key,
    time: new Date(alert.time),
    endTime: alert.endTime === undefined ? null : new Date(alert.endTime),
    emittedAt: new Date(alert.emittedAt),
    value: alert.value,
    message: alert.message,
  }
}

export function toLiveAlert(row: AlertRow): LiveAlert {
  return {
    id: row.id,
    vehicleId: row.vehicleId,
    ruleId: row.ruleId,
    kind: row.kind,
    key: row.key,
    time: row.time.getTime(),
    endTime: row.endTime?.getTime() ?? null,
    emittedAt: row.emittedAt.getTime(),
    value: row.value,
    message: row.message,
    acknowledgedAt: row.acknowledgedAt?.getTime() ?? null,
    isRetracted: false,
  }
}
