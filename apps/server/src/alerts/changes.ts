import { queueAlertNotifications, toAlertUpsert, toLiveAlert } from '@fms/api'
import type { Database } from '@fms/db'
import { deleteAlertsByKeys, upsertAlerts } from '@fms/db/queries/alerts'
import { enqueueWebhookEvents } from '@fms/db/queries/webhooks'
import type { AlertRow } from '@fms/db/schema'
import type { AlertEvent } from '@fms/engine'
import type { LiveHub, LiveNotification } from '@fms/live'
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
  /** In-app notifications stored or withdrawn with them, to publish after the commit. */
  notifications: LiveNotification[]
}

/**
 * In the caller's transaction, for alerts just stored (`rows`) and withdrawn (`retracted`): the
 * webhook deliveries and the users' notifications (email planned only when `isEmailEnabled`), so
 * an alert is never stored without them, nor they without it.
 */
export async function queueAlertDeliveries(
  tx: Database,
  params: { orgId: string; rows: AlertRow[]; retracted: AlertRow[]; isEmailEnabled: boolean },
): Promise<WrittenAlerts> {
  const { orgId, rows, retracted } = params
  await enqueueWebhookEvents(tx, { orgId, events: toWebhookEvents(rows, retracted) })
  const notifications = await queueAlertNotifications(tx, {
    orgId,
    stored: rows,
    retracted,
    isEmailEnabled: params.isEmailEnabled,
  })
  return { orgId, rows, retracted, notifications }
}

/**
 * In the caller's transaction: deletes the retracted keys, upserts the versions by key and queues
 * what they trigger (`queueAlertDeliveries`).
 */
export async function writeAlertChanges(
  tx: Database,
  orgId: string,
  changes: AlertChangeSet,
  options: { isEmailEnabled: boolean },
): Promise<WrittenAlerts> {
  if (changes.isEmpty) return { orgId, rows: [], retracted: [], notifications: [] }
  const retracted = await deleteAlertsByKeys(tx, { orgId, keys: [...changes.retracted] })
  const rows = await upsertAlerts(
    tx,
    [...changes.upserts.values()].map((alert) => toAlertUpsert(orgId, alert)),
  )
  return queueAlertDeliveries(tx, { orgId, rows, retracted, ...options })
}

/**
 * After the commit: tells the live bus about every stored and every withdrawn alert, and the
 * notifications they made. Those rows are committed, so a bus failure is only logged
 * (subscribers resume from the stored lists).
 */
export function publishAlertChanges(live: LiveHub, written: WrittenAlerts): void {
  const alerts = [
    ...written.rows.map(toLiveAlert),
    ...written.retracted.map((row) => ({ ...toLiveAlert(row), isRetracted: true })),
  ]
  const failed = (error: unknown) => logger.warn('alert publish failed', errorFields(error))
  for (const alert of alerts) {
    live.publish({ orgId: written.orgId, kind: 'alert', alert }).catch(failed)
  }
  for (const notification of written.notifications) {
    live.publish({ orgId: written.orgId, kind: 'notification', notification }).catch(failed)
  }
}
