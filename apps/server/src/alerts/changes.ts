import type { LiveBus } from '@fms/api'
import { toAlertUpsert, toLiveAlert } from '@fms/api'
import type { AlertEvent } from '@fms/api/rules'
import type { Database } from '@fms/db'
import { deleteAlertsByKeys, upsertAlerts } from '@fms/db/queries/alerts'
import type { AlertRow } from '@fms/db/schema'
import { errorFields, logger } from '../logger.ts'

export type AlertsStoredHook = (orgId: string, rows: AlertRow[]) => void

/** Alert versions and retractions in the order the engine produced them; the last word wins. */
export class AlertChangeSet {
  readonly upserts = new Map<string, AlertEvent>()
  readonly retracted = new Set<string>()

  apply(changes: { alerts: readonly AlertEvent[]; retracted?: readonly string[] }): void {
    for (const key of changes.retracted ?? []) {
      this.upserts.delete(key)
      this.retracted.add(key)
    }
    for (const alert of changes.alerts) {
      this.upserts.set(alert.key, alert)
      this.retracted.delete(alert.key)
    }
  }

  get isEmpty(): boolean {
    return this.upserts.size === 0 && this.retracted.size === 0
  }
}

/**
 * Deletes the retracted keys, upserts the versions by key, then tells the live bus and the hook
 * about every stored row. The rows are committed: a bus or hook failure is only logged.
 */
export async function storeAlertChanges(
  deps: { db: Database; bus: LiveBus; onStored?: AlertsStoredHook | undefined },
  orgId: string,
  changes: AlertChangeSet,
): Promise<AlertRow[]> {
  if (changes.isEmpty) return []
  await deleteAlertsByKeys(deps.db, { orgId, keys: [...changes.retracted] })
  const rows = await upsertAlerts(
    deps.db,
    [...changes.upserts.values()].map((alert) => toAlertUpsert(orgId, alert)),
  )
  for (const row of rows) {
    deps.bus.publish({ orgId, kind: 'alert', alert: toLiveAlert(row) }).catch((error: unknown) => {
      logger.warn('alert publish failed', errorFields(error))
    })
  }
  if (rows.length > 0 && deps.onStored) {
    try {
      deps.onStored(orgId, rows)
    } catch (error) {
      logger.warn('onAlertsStored hook failed', errorFields(error))
    }
  }
  return rows
}
