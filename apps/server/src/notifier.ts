import { type DueAlertItem, type EmailSettings, renderAlertEmail } from '@fms/api'
import { type Database, sql } from '@fms/db'
import { enqueueEmails } from '@fms/db/queries/email-outbox'
import {
  lockDueEmailNotifications,
  pruneNotifications,
  setNotificationEmailState,
} from '@fms/db/queries/notifications'
import { rowsOf } from '@fms/db/queries/rows'
import { errorFields, logger } from './logger.ts'
import { startWorkLoop } from './work-loop.ts'

/** One gatherer at a time across the nodes: a transaction-scoped advisory lock ("FMSN"). */
const GATHER_LOCK_KEY = 0x464d534e
/** Notifications taken per round (the loop goes again at once while there are more). */
const ROUND_LIMIT = 2000
const DAY_MS = 86_400_000
/** How long notifications and the log of sent emails are kept. */
export const NOTIFICATION_RETENTION = { notificationsDays: 90, emailsDays: 30, everyMs: 3_600_000 }

/**
 * The notifications' background work on every node. With email on (`settings`), it turns
 * notifications whose email is due into emails: every round, under an advisory lock (one
 * node at a time, so a user's due notifications are never split over two emails), it takes the
 * due ones, renders one email per user (one alert, or a digest of several), queues them in the
 * outbox and marks the notifications sent, all in one transaction: nothing twice, nothing lost.
 * Addresses not verified get nothing (their notifications are marked dropped): FMS mails only
 * addresses their owner proved. Email on or off, once an hour it deletes notifications older
 * than 90 days and the log of emails sent over 30 days ago, so neither table grows for ever.
 */
export function startNotifier(
  db: Database,
  settings: EmailSettings | undefined,
  options: { intervalMs?: number; autoStart?: boolean } = {},
) {
  let lastPruneAt = 0

  async function prune(): Promise<void> {
    if (Date.now() - lastPruneAt < NOTIFICATION_RETENTION.everyMs) return
    lastPruneAt = Date.now()
    const pruned = await pruneNotifications(db, {
      notificationsBefore: new Date(Date.now() - NOTIFICATION_RETENTION.notificationsDays * DAY_MS),
      emailsBefore: new Date(Date.now() - NOTIFICATION_RETENTION.emailsDays * DAY_MS),
      isEmailEnabled: settings !== undefined,
    })
    if (pruned.notifications > 0 || pruned.emails > 0) logger.info('notifications pruned', pruned)
  }

  async function round(): Promise<number> {
    await prune()
    if (!settings) return 0
    return gather(settings)
  }

  function gather(settings: EmailSettings): Promise<number> {
    return db.transaction(async (tx) => {
      const [lock] = rowsOf(
        await tx.execute(sql`select pg_try_advisory_xact_lock(${GATHER_LOCK_KEY}) as locked`),
      )
      if (lock?.locked !== true) return 0
      const due = await lockDueEmailNotifications(tx, { now: new Date(), limit: ROUND_LIMIT })
      if (due.length === 0) return 0
      const byUser = new Map<string, DueAlertItem[]>()
      const dropped: string[] = []
      for (const row of due) {
        if (!row.isVerified) {
          dropped.push(row.id)
          continue
        }
        byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row])
      }
      const emails = [...byUser.values()].map((items) =>
        renderAlertEmail(
          settings,
          items.sort((a, b) => a.alertTime.getTime() - b.alertTime.getTime()),
        ),
      )
      await enqueueEmails(tx, emails)
      const sent = [...byUser.values()].flat().map((item) => item.id)
      await setNotificationEmailState(tx, { ids: sent, state: 'sent' })
      await setNotificationEmailState(tx, { ids: dropped, state: 'dropped' })
      if (emails.length > 0 || dropped.length > 0) {
        logger.info('notification emails queued', {
          emails: emails.length,
          notifications: sent.length,
          droppedUnverified: dropped.length,
        })
      }
      return due.length
    })
  }

  const loop = startWorkLoop(round, {
    intervalMs: options.intervalMs ?? 2000,
    autoStart: options.autoStart,
    onError: (error) => logger.warn('notifier round failed', errorFields(error)),
  })
  return { runOnce: loop.runOnce, close: loop.stop }
}
