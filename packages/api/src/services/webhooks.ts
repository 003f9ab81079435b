import { randomBytes, randomUUID } from 'node:crypto'
import {
  createWebhook,
  deleteWebhook,
  enqueueWebhookEvents,
  findWebhookById,
  listWebhookDeliveries,
  listWebhooks,
  updateWebhook,
} from '@fms/db/queries/webhooks'
import type { ApiDeps, DbDeps } from '../context.ts'
import type {
  TCreateWebhookInput,
  TListWebhookDeliveriesInput,
  TUpdateWebhookInput,
} from '../schemas/index.ts'
import { orNotFound } from './db-errors.ts'
import { assertPublicWebhookUrl } from './webhook-url.ts'

/** Writes check the URL, which may name a private address only when the server allows it. */
type WebhookWriteDeps = Pick<ApiDeps, 'db' | 'allowPrivateWebhooks'>

/** A new signing secret: 32 random bytes, base64url, with a recognisable prefix. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}

export function listOrgWebhooks(deps: DbDeps, orgId: string) {
  return listWebhooks(deps.db, orgId)
}

export async function createOrgWebhook(
  deps: WebhookWriteDeps,
  orgId: string,
  input: TCreateWebhookInput,
) {
  await assertPublicWebhookUrl(input.url, deps.allowPrivateWebhooks)
  const secret = generateWebhookSecret()
  const row = await createWebhook(deps.db, { ...input, secret, orgId })
  // The one answer that carries the secret: it is never shown again.
  return { ...row, secret }
}

export async function updateOrgWebhook(
  deps: WebhookWriteDeps,
  orgId: string,
  input: TUpdateWebhookInput,
) {
  const { id, ...patch } = input
  if (patch.url !== undefined) {
    await assertPublicWebhookUrl(patch.url, deps.allowPrivateWebhooks)
  }
  return orNotFound(updateWebhook(deps.db, { orgId, id, patch }), 'Webhook')
}

export function removeOrgWebhook(deps: DbDeps, orgId: string, id: string) {
  return orNotFound(deleteWebhook(deps.db, { orgId, id }), 'Webhook')
}

export async function listOrgWebhookDeliveries(
  deps: DbDeps,
  orgId: string,
  input: TListWebhookDeliveriesInput,
) {
  await orNotFound(findWebhookById(deps.db, { orgId, id: input.id }), 'Webhook')
  return listWebhookDeliveries(deps.db, { orgId, webhookId: input.id, limit: input.limit })
}

/** Queues a `test` event to this webhook (even if disabled it is not sent: enable it first). */
export async function queueOrgWebhookTest(deps: DbDeps, orgId: string, id: string) {
  const hook = await orNotFound(findWebhookById(deps.db, { orgId, id }), 'Webhook')
  const event = { type: 'test', testId: randomUUID(), createdAt: new Date().toISOString() }
  const [delivery] = await enqueueWebhookEvents(deps.db, {
    orgId,
    webhookId: hook.id,
    events: [{ alertId: null, alertKey: null, kind: null, event }],
  })
  return { queued: delivery !== undefined, deliveryId: delivery?.id ?? null }
}
