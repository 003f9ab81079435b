import { toEngineGeofence, toRuleConfig } from '@fms/api'
import type { Database } from '@fms/db'
import { findAllGeofences } from '@fms/db/queries/geofences'
import { findEnabledRules } from '@fms/db/queries/rules'
import type { Geofence, RuleConfig } from '@fms/engine'

export interface OrgRules {
  rules: RuleConfig[]
  geofences: Geofence[]
}

/** Each organization's enabled rules and geofences, reloaded at most every `ttlMs`. */
export class RuleCache {
  private readonly entries = new Map<string, { at: number; value: Promise<OrgRules> }>()

  constructor(
    private readonly db: Database,
    private readonly ttlMs: number,
  ) {}

  load(orgId: string): Promise<OrgRules> {
    const held = this.entries.get(orgId)
    if (held && Date.now() - held.at < this.ttlMs) return held.value
    const value = Promise.all([
      findEnabledRules(this.db, orgId),
      findAllGeofences(this.db, orgId),
    ]).then(([rules, geofences]) => ({
      rules: rules.map(toRuleConfig),
      geofences: geofences.map(toEngineGeofence),
    }))
    // A failed load is not cached: the next batch tries again.
    value.catch(() => this.entries.delete(orgId))
    this.entries.set(orgId, { at: Date.now(), value })
    if (this.entries.size > 10_000) {
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
    return value
  }
}
