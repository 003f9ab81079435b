import { toAlertUpsert, toLiveAlert } from '@fms/api'
import type { Database } from '@fms/db'
import { deleteAlertsByKeys, upsertAlerts } from '@fms/db/queries/alerts'
import { enqueueWebhookEvents } from '@fms/db/queries/webhooks'
import type { AlertRow } from '@fms/db/schema'
import type { AlertEvent } from '@fms/engine'
import type { LiveHub } from '@fms/live'
import { errorFields, logger } from '../logger.ts'
import { toWebhookEvents } from './webhooks.ts'

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

export interface WrittenAlerts {
  orgId: string
  rows: AlertRow[]
  retracted: AlertRow[]
}

/**
 * In the caller's transaction: deletes the retracted keys, upserts the versions by key and queues
 * webhook deliveries for what changed, so an alert is never stored without its webhooks (or the
 * other way round).
 */
export async function writeAlertChanges(
  tx: Database,
  orgId: string,
  changes: AlertChangeSet,
): Promise<WrittenAlerts> {
  if (changes.isEmpty) return { orgId, rows: [], retracted: [] }
  const retracted = await deleteAlertsByKeys(tx, { orgId, keys: [...changes.retracted] })
  const rows = await upsertAlerts(
    tx,
    [...changes.upserts.values()].map((alert) => toAlertUpsert(orgId, alert)),
  )
  await enqueueWebhookEvents(tx, { orgId, events: toWebhookEvents(rows, retracted) })
  return { orgId, rows, retracted }
}

/**
 * After the commit: tells the live bus about every stored and every withdrawn alert. Those rows
 * are committed, so a bus failure is only logged (subscribers resume from the stored list).
 */
export function publishAlertChanges(live: LiveHub, written: WrittenAlerts): void {
  const alerts = [
    ...written.rows.map(toLiveAlert),
    ...written.retracted.map((row) => ({ ...toLiveAlert(row), isRetracted: true })),
  ]
  for (const alert of alerts) {
    live.publish({ orgId: written.orgId, kind: 'alert', alert }).catch((error: unknown) => {
      logger.warn('alert publish failed', errorFields(error))
    })
  }
}
