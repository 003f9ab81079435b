import {
  ZCreateWebhookInput,
  ZIdInput,
  ZListWebhookDeliveriesInput,
  ZUpdateWebhookInput,
} from '../schemas/index.ts'
import {
  createOrgWebhook,
  listOrgWebhookDeliveries,
  listOrgWebhooks,
  queueOrgWebhookTest,
  removeOrgWebhook,
  updateOrgWebhook,
} from '../services/webhooks.ts'
import { adminProcedure, router } from '../trpc.ts'

/** Per-organization alert webhooks. Admin only: a webhook's URL and secret are configuration. */
export const webhooksRouter = router({
  list: adminProcedure.query(({ ctx }) => listOrgWebhooks({ db: ctx.db }, ctx.user.orgId)),
  create: adminProcedure
    .input(ZCreateWebhookInput)
    .mutation(({ ctx, input }) =>
      createOrgWebhook(
        { db: ctx.db, allowPrivateWebhooks: ctx.allowPrivateWebhooks },
        ctx.user.orgId,
        input,
      ),
    ),
  update: adminProcedure
    .input(ZUpdateWebhookInput)
    .mutation(({ ctx, input }) =>
      updateOrgWebhook(
        { db: ctx.db, allowPrivateWebhooks: ctx.allowPrivateWebhooks },
        ctx.user.orgId,
        input,
      ),
    ),
  remove: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) => removeOrgWebhook({ db: ctx.db }, ctx.user.orgId, input.id)),
  deliveries: adminProcedure
    .input(ZListWebhookDeliveriesInput)
    .query(({ ctx, input }) => listOrgWebhookDeliveries({ db: ctx.db }, ctx.user.orgId, input)),
  /** Queues a `test` event to this webhook (even if disabled it is not sent: enable it first). */
  test: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) => queueOrgWebhookTest({ db: ctx.db }, ctx.user.orgId, input.id)),
})
