import { and, asc, desc, eq, inArray, lte } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { type WebhookDeliveryStatus, webhookDeliveries, webhooks } from '../schema/index.ts'

/** Every column but the signing secret, which is shown once, when the webhook is created. */
const PUBLIC_COLUMNS = {
  id: webhooks.id,
  orgId: webhooks.orgId,
  url: webhooks.url,
  kinds: webhooks.kinds,
  isEnabled: webhooks.isEnabled,
  createdAt: webhooks.createdAt,
  updatedAt: webhooks.updatedAt,
}

export interface WebhookPatch {
  url?: string | undefined
  kinds?: string[] | undefined
  isEnabled?: boolean | undefined
}

export function listWebhooks(db: Database, orgId: string) {
  return db
    .select(PUBLIC_COLUMNS)
    .from(webhooks)
    .where(eq(webhooks.orgId, orgId))
    .orderBy(asc(webhooks.createdAt), asc(webhooks.id))
}

export async function findWebhookById(db: Database, params: { orgId: string; id: string }) {
  const [row] = await db
    .select(PUBLIC_COLUMNS)
    .from(webhooks)
    .where(and(eq(webhooks.id, params.id), eq(webhooks.orgId, params.orgId)))
  return row ?? null
}

/** Returns the new row with its secret: the only time it leaves the database. */
export async function createWebhook(
  db: Database,
  params: { orgId: string; url: string; secret: string; kinds: string[]; isEnabled: boolean },
) {
  const [row] = await db.insert(webhooks).values(params).returning()
  if (!row) throw new Error('webhook insert returned no row')
  return row
}

export async function updateWebhook(
  db: Database,
  params: { orgId: string; id: string; patch: WebhookPatch },
) {
  const [row] = await db
    .update(webhooks)
    .set({ ...params.patch, updatedAt: new Date() })
    .where(and(eq(webhooks.id, params.id), eq(webhooks.orgId, params.orgId)))
    .returning(PUBLIC_COLUMNS)
  return row ?? null
}

export async function deleteWebhook(db: Database, params: { orgId: string; id: string }) {
  const [row] = await db
    .delete(webhooks)
    .where(and(eq(webhooks.id, params.id), eq(webhooks.orgId, params.orgId)))
    .returning(PUBLIC_COLUMNS)
  return row ?? null
}

export interface WebhookEventInsert {
  alertId: string | null
  alertKey: string | null
  /** Alert kind, matched against each webhook's `kinds`; null matches every webhook. */
  kind: string | null
  event: Record<string, unknown>
}

/**
 * Queues one delivery per event and enabled webhook of the organization whose kinds match
 * (empty kinds match all). Returns the queued rows.
 */
export async function enqueueWebhookEvents(
  db: Database,
  params: { orgId: string; events: WebhookEventInsert[]; webhookId?: string | undefined },
) {
  if (params.events.length === 0) return []
  const targets = await db
    .select({ id: webhooks.id, kinds: webhooks.kinds })
    .from(webhooks)
    .where(
      and(
        eq(webhooks.orgId, params.orgId),
        eq(webhooks.isEnabled, true),
        params.webhookId ? eq(webhooks.id, params.webhookId) : undefined,
      ),
    )
  const rows = targets.flatMap((hook) =>
    params.events
      .filter((e) => e.kind === null || hook.kinds.length === 0 || hook.kinds.includes(e.kind))
      .map((e) => ({
        webhookId: hook.id,
        orgId: params.orgId,
        alertId: e.alertId,
        alertKey: e.alertKey,
        event: e.event,
      })),
  )
  if (rows.length === 0) return []
  return db.insert(webhookDeliveries).values(rows).returning()
}

/**
 * Claims up to `limit` due pending deliveries by pushing their next attempt `leaseMs` ahead, so
 * no other worker takes them meanwhile (`skip locked`); a worker that dies leaves them to retry
 * when the lease ends. Returns each with its webhook's url and secret.
 */
export async function claimDueDeliveries(
  db: Database,
  params: { now: Date; limit: number; leaseMs: number },
) {
  const due = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, 'pending'),
        lte(webhookDeliveries.nextAttemptAt, params.now),
      ),
    )
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(params.limit)
    .for('update', { skipLocked: true })
  const claimed = await db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: new Date(params.now.getTime() + params.leaseMs) })
    .where(inArray(webhookDeliveries.id, due))
    .returning({ id: webhookDeliveries.id })
  if (claimed.length === 0) return []
  return db
    .select({
      delivery: webhookDeliveries,
      url: webhooks.url,
      secret: webhooks.secret,
      isEnabled: webhooks.isEnabled,
    })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(
      inArray(
        webhookDeliveries.id,
        claimed.map((c) => c.id),
      ),
    )
}

export interface DeliveryResult {
  id: string
  status: WebhookDeliveryStatus
  attempts: number
  nextAttemptAt: Date
  lastStatus: number | null
  lastError: string | null
  deliveredAt: Date | null
}

export async function markDeliveryResult(db: Database, result: DeliveryResult) {
  const { id, ...set } = result
  await db.update(webhookDeliveries).set(set).where(eq(webhookDeliveries.id, id))
}

/** The newest deliveries of one webhook of the organization. */
export function listWebhookDeliveries(
  db: Database,
  params: { orgId: string; webhookId: string; limit: number },
) {
  return db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.webhookId, params.webhookId),
        eq(webhookDeliveries.orgId, params.orgId),
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(params.limit)
}
