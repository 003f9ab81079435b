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

/**
 * In one transaction: deletes the retracted keys, upserts the versions by key and queues their
 * webhook deliveries, so an alert is never stored without its webhooks (or the other way round).
 * Then tells the live bus about every stored and every withdrawn alert; those rows are committed,
 * so a bus failure is only logged (subscribers resume from the stored list).
 */
export async function storeAlertChanges(
  deps: { db: Database; live: LiveHub },
  orgId: string,
  changes: AlertChangeSet,
): Promise<AlertRow[]> {
  if (changes.isEmpty) return []
  const { rows, retracted } = await deps.db.transaction(async (tx) => {
    const retracted = await deleteAlertsByKeys(tx, { orgId, keys: [...changes.retracted] })
    const rows = await upsertAlerts(
      tx,
      [...changes.upserts.values()].map((alert) => toAlertUpsert(orgId, alert)),
    )
    await enqueueWebhookEvents(tx, { orgId, events: toWebhookEvents(rows, retracted) })
    return { rows, retracted }
  })
  const live = [
    ...rows.map(toLiveAlert),
    ...retracted.map((row) => ({ ...toLiveAlert(row), isRetracted: true })),
  ]
  for (const alert of live) {
    deps.live.publish({ orgId, kind: 'alert', alert }).catch((error: unknown) => {
      logger.warn('alert publish failed', errorFields(error))
    })
  }
  return rows
}
