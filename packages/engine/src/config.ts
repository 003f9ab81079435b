import type { RuleConfig, RuleKind } from './types.ts'

export interface RuleDefaults {
  threshold: number
  durationSec: number
}

/**
 * Defaults when a rule leaves `threshold` or `durationSec` unset. Units per kind: overspeed km/h,
 * high_rpm rpm, low_fuel %, fuel_drop/refuel percentage points within `durationSec`, overheat °C,
 * idle the "not moving" speed in km/h, harsh km/h per second, anomaly |z|. Offline and geofence
 * rules ignore `threshold`; harsh ignores `durationSec`.
 */
export const RULE_DEFAULTS: Record<RuleKind, RuleDefaults> = {
  overspeed: { threshold: 100, durationSec: 10 },
  high_rpm: { threshold: 4000, durationSec: 10 },
  low_fuel: { threshold: 15, durationSec: 0 },
  fuel_drop: { threshold: 10, durationSec: 300 },
  refuel: { threshold: 10, durationSec: 600 },
  overheat: { threshold: 105, durationSec: 30 },
  idle: { threshold: 3, durationSec: 300 },
  harsh: { threshold: 12, durationSec: 0 },
  offline: { threshold: 0, durationSec: 600 },
  geofence_enter: { threshold: 0, durationSec: 0 },
  geofence_exit: { threshold: 0, durationSec: 0 },
  anomaly: { threshold: 4, durationSec: 0 },
}

/** A rule with its defaults filled in and its duration in ms. */
export interface ResolvedRule {
  id: string
  kind: RuleKind
  threshold: number
  durationMs: number
  geofenceId: string | null
}

function pickNumber(value: number | null | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

export function resolveRule(rule: RuleConfig): ResolvedRule {
  const defaults = RULE_DEFAULTS[rule.kind]
  return {
    id: rule.id,
    kind: rule.kind,
    threshold: pickNumber(rule.threshold, defaults.threshold),
    durationMs: Math.max(0, pickNumber(rule.durationSec, defaults.durationSec)) * 1000,
    geofenceId: rule.geofenceId ?? null,
  }
}

function groupOf(rule: RuleConfig): string {
  return `${rule.kind}:${rule.geofenceId ?? '*'}`
}

/**
 * The rules that apply to one vehicle: the org-wide rules (no `vehicleId`), except that a rule
 * naming this vehicle replaces the org-wide rules of the same kind (and same geofence).
 */
export function selectVehicleRules(rules: readonly RuleConfig[], vehicleId: string): RuleConfig[] {
  const overridden = new Set(rules.filter((r) => r.vehicleId === vehicleId).map(groupOf))
  return rules.filter((rule) =>
    rule.vehicleId ? rule.vehicleId === vehicleId : !overridden.has(groupOf(rule)),
  )
}

const resolvedCache = new WeakMap<readonly RuleConfig[], Map<string, ResolvedRule[]>>()

/** `selectVehicleRules` then `resolveRule`, memoized per rules array (rules are read-only data). */
export function resolveVehicleRules(
  rules: readonly RuleConfig[],
  vehicleId: string,
): ResolvedRule[] {
  let byVehicle = resolvedCache.get(rules)
  if (!byVehicle) {
    byVehicle = new Map()
    resolvedCache.set(rules, byVehicle)
  }
  let resolved = byVehicle.get(vehicleId)
  if (!resolved) {
    resolved = selectVehicleRules(rules, vehicleId).map(resolveRule)
    byVehicle.set(vehicleId, resolved)
  }
  return resolved
}
