import { generateDeviceToken } from '@fms/auth'
import {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  rotateApiToken,
  updateApiToken,
} from '@fms/db/queries/api-tokens'
import { z } from 'zod'
import {
  ZCreateTokenInput,
  ZIdInput,
  ZListTokensInput,
  ZUpdateTokenInput,
} from '../schemas/index.ts'
import { mapDbErrors, orNotFound } from '../services/db-errors.ts'
import { adminProcedure, router } from '../trpc.ts'

/** After `tokens.rotate`, the previous secret keeps working this long unless configured. */
const DEFAULT_ROTATION_GRACE_SEC = 86_400

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
    .query(({ ctx, input }) =>
      mapDbErrors(listApiTokens(ctx.db, { ...input, orgId: ctx.user.orgId })),
    ),
  /** The only time the secret is ever shown. */
  create: adminProcedure
    .input(ZCreateTokenInput)
    .output(ZPublicToken.extend({ secret: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const generated = generateDeviceToken()
      const token = await createApiToken(ctx.db, {
        orgId: ctx.user.orgId,
        title: input.title,
        description: input.description,
        prefix: generated.prefix,
        tokenHash: generated.hash,
        createdBy: ctx.user.id,
      })
      return { ...token, secret: generated.token }
    }),
  update: adminProcedure
    .input(ZUpdateTokenInput)
    .output(ZPublicToken)
    .mutation(({ ctx, input }) => {
      const { id, ...patch } = input
      return orNotFound(updateApiToken(ctx.db, { orgId: ctx.user.orgId, id, patch }), 'Token')
    }),
  /**
   * A new secret, shown this once; the previous one keeps working for the grace window
   * (`deviceTokenRotationGraceSec`). Rotating again within it ends the older secret at once.
   * A revoked token is NOT_FOUND, like another organization's.
   */
  rotate: adminProcedure
    .input(ZIdInput)
    .output(ZPublicToken.extend({ secret: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const generated = generateDeviceToken()
      const token = await orNotFound(
        rotateApiToken(ctx.db, {
          orgId: ctx.user.orgId,
          id: input.id,
          prefix: generated.prefix,
          tokenHash: generated.hash,
          graceSec: ctx.deviceTokenRotationGraceSec ?? DEFAULT_ROTATION_GRACE_SEC,
        }),
        'Token',
      )
      return { ...token, secret: generated.token }
    }),
  revoke: adminProcedure
    .input(ZIdInput)
    .output(ZPublicToken)
    .mutation(({ ctx, input }) =>
      orNotFound(revokeApiToken(ctx.db, { orgId: ctx.user.orgId, id: input.id }), 'Token'),
    ),
})
