import { z } from 'zod'
import {
  ZCreateTokenInput,
  ZIdInput,
  ZListTokensInput,
  ZUpdateTokenInput,
} from '../schemas/index.ts'
import {
  createOrgToken,
  listOrgTokens,
  revokeOrgToken,
  rotateOrgToken,
  updateOrgToken,
} from '../services/tokens.ts'
import { adminProcedure, router } from '../trpc.ts'

/** A device token as lists show it: the lookup prefixes, never a secret or its digest. */
const ZPublicToken = z.object({
  id: z.string(),
  orgId: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  prefix: z.string(),
  /** The previous secret's prefix after a rotation; it works until `previousExpiresAt`. */
  previousPrefix: z.string().nullable(),
  previousExpiresAt: z.date().nullable(),
  rotatedAt: z.date().nullable(),
  createdBy: z.string().nullable(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
})

export const tokensRouter = router({
  list: adminProcedure
    .input(ZListTokensInput)
    .output(z.object({ items: z.array(ZPublicToken), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listOrgTokens({ db: ctx.db }, ctx.user.orgId, input)),
  /** The only time the secret is ever shown. */
  create: adminProcedure
    .input(ZCreateTokenInput)
    .output(ZPublicToken.extend({ secret: z.string() }))
    .mutation(({ ctx, input }) => createOrgToken({ db: ctx.db }, ctx.user, input)),
  update: adminProcedure
    .input(ZUpdateTokenInput)
    .output(ZPublicToken)
    .mutation(({ ctx, input }) => updateOrgToken({ db: ctx.db }, ctx.user.orgId, input)),
  /**
   * A new secret, shown this once; the previous one keeps working for the grace window
   * (`deviceTokenRotationGraceSec`). A revoked token is NOT_FOUND, like another organization's.
   */
  rotate: adminProcedure
    .input(ZIdInput)
    .output(ZPublicToken.extend({ secret: z.string() }))
    .mutation(({ ctx, input }) =>
      rotateOrgToken(
        { db: ctx.db, deviceTokenRotationGraceSec: ctx.deviceTokenRotationGraceSec },
        ctx.user.orgId,
        input.id,
      ),
    ),
  revoke: adminProcedure
    .input(ZIdInput)
    .output(ZPublicToken)
    .mutation(({ ctx, input }) => revokeOrgToken({ db: ctx.db }, ctx.user.orgId, input.id)),
})
