import { z } from 'zod'
import { ZApiKeyScope, ZCreateApiKeyInput, ZIdInput, ZListApiKeysInput } from '../schemas/index.ts'
import { createOrgApiKey, listOrgApiKeys, revokeOrgApiKey } from '../services/api-keys.ts'
import { adminProcedure, router } from '../trpc.ts'

/** An integrator API key as lists show it: the lookup prefix, never the secret or its digest. */
const ZPublicApiKey = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  scope: ZApiKeyScope,
  prefix: z.string(),
  createdBy: z.string().nullable(),
  expiresAt: z.date().nullable(),
  /** Refreshed at most once a minute. */
  lastUsedAt: z.date().nullable(),
  lastUsedIp: z.string().nullable(),
  revokedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
})

/** Keys for the REST API under /api/v1 (admin only). */
export const apiKeysRouter = router({
  list: adminProcedure
    .input(ZListApiKeysInput)
    .output(z.object({ items: z.array(ZPublicApiKey), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listOrgApiKeys({ db: ctx.db }, ctx.user.orgId, input)),
  /** The only time the secret is ever shown. */
  create: adminProcedure
    .input(ZCreateApiKeyInput)
    .output(ZPublicApiKey.extend({ secret: z.string() }))
    .mutation(({ ctx, input }) => createOrgApiKey({ db: ctx.db }, ctx.user, input)),
  revoke: adminProcedure
    .input(ZIdInput)
    .output(ZPublicApiKey)
    .mutation(({ ctx, input }) => revokeOrgApiKey({ db: ctx.db }, ctx.user.orgId, input.id)),
})
