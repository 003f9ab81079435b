import { z } from 'zod'
import { ZRole, ZUpdateSsoInput } from '../schemas/index.ts'
import { describeSso, removeSso, updateSso } from '../services/sso.ts'
import { adminProcedure, router } from '../trpc.ts'

/** What admins read back: never the client secret, only whether one is stored. */
const ZSsoSettings = z.discriminatedUnion('isConfigured', [
  z.object({ isConfigured: z.literal(false), redirectUri: z.string().nullable() }),
  z.object({
    isConfigured: z.literal(true),
    redirectUri: z.string().nullable(),
    issuer: z.string(),
    clientId: z.string(),
    hasClientSecret: z.boolean(),
    domains: z.array(z.string()),
    defaultRole: ZRole,
    isEnabled: z.boolean(),
    updatedAt: z.date(),
  }),
])

/** The organization's OpenID Connect single sign-on (admins). */
export const ssoRouter = router({
  get: adminProcedure
    .output(ZSsoSettings)
    .query(({ ctx }) => describeSso(ssoDeps(ctx), ctx.user.orgId)),
  update: adminProcedure
    .input(ZUpdateSsoInput)
    .output(ZSsoSettings)
    .mutation(({ ctx, input }) =>
      updateSso(ssoDeps(ctx), { orgId: ctx.user.orgId, userId: ctx.user.id }, input),
    ),
  remove: adminProcedure
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx }) => removeSso({ db: ctx.db }, ctx.user.orgId)),
})

function ssoDeps(ctx: Parameters<typeof describeSso>[0]) {
  return {
    db: ctx.db,
    ssoKey: ctx.ssoKey,
    publicUrl: ctx.publicUrl,
    ssoTrustedDomains: ctx.ssoTrustedDomains,
    ssoAllowPrivateIssuers: ctx.ssoAllowPrivateIssuers,
  }
}
