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
import {
  ZCreateWebhookInput,
  ZIdInput,
  ZListWebhookDeliveriesInput,
  ZUpdateWebhookInput,
} from '../schemas/index.ts'
import { orNotFound } from '../services/db-errors.ts'
import { assertPublicWebhookUrl } from '../services/webhook-url.ts'
import { adminProcedure, router } from '../trpc.ts'

/** A new signing secret: 32 random bytes, base64url, with a recognisable prefix. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}

/** Per-organization alert webhooks. Admin only: a webhook's URL and secret are configuration. */
export const webhooksRouter = router({
  list: adminProcedure.query(({ ctx }) => listWebhooks(ctx.db, ctx.user.orgId)),
  create: adminProcedure.input(ZCreateWebhookInput).mutation(async ({ ctx, input }) => {
    await assertPublicWebhookUrl(input.url, ctx.allowPrivateWebhooks)
    const secret = generateWebhookSecret()
    const row = await createWebhook(ctx.db, { ...input, secret, orgId: ctx.user.orgId })
    // The one answer that carries the secret: it is never shown again.
    return { ...row, secret }
  }),
  update: adminProcedure.input(ZUpdateWebhookInput).mutation(async ({ ctx, input }) => {
    const { id, ...patch } = input
    if (patch.url !== undefined) {
      await assertPublicWebhookUrl(patch.url, ctx.allowPrivateWebhooks)
    }
    return orNotFound(updateWebhook(ctx.db, { orgId: ctx.user.orgId, id, patch }), 'Webhook')
  }),
  remove: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) =>
      orNotFound(deleteWebhook(ctx.db, { orgId: ctx.user.orgId, id: input.id }), 'Webhook'),
    ),
  deliveries: adminProcedure.input(ZListWebhookDeliveriesInput).query(async ({ ctx, input }) => {
    const orgId = ctx.user.orgId
    await orNotFound(findWebhookById(ctx.db, { orgId, id: input.id }), 'Webhook')
    return listWebhookDeliveries(ctx.db, { orgId, webhookId: input.id, limit: input.limit })
  }),
  /** Queues a `test` event to this webhook (even if disabled it is not sent: enable it first). */
  test: adminProcedure.input(ZIdInput).mutation(async ({ ctx, input }) => {
    const orgId = ctx.user.orgId
    const hook = await orNotFound(findWebhookById(ctx.db, { orgId, id: input.id }), 'Webhook')
    const event = { type: 'test', testId: randomUUID(), createdAt: new Date().toISOString() }
    const [delivery] = await enqueueWebhookEvents(ctx.db, {
      orgId,
      webhookId: hook.id,
      events: [{ alertId: null, alertKey: null, kind: null, event }],
    })
    return { queued: delivery !== undefined, deliveryId: delivery?.id ?? null }
  }),
})
