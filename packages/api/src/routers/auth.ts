import { z } from 'zod'
import {
  ZLoginInput,
  ZRefreshInput,
  ZRegisterInput,
  ZRequestPasswordResetInput,
  ZResetPasswordInput,
  ZRole,
  ZVerifyEmailInput,
} from '../schemas/index.ts'
import {
  requestPasswordReset,
  requestVerification,
  resetPassword,
  verifyEmail,
} from '../services/accounts.ts'
import { type AuthDeps, login, logout, refresh, register, toSessionUser } from '../services/auth.ts'
import { describeEmail } from '../services/notifications.ts'
import { credentialsProcedure, protectedProcedure, publicProcedure, router } from '../trpc.ts'

const ZSessionUser = z.object({
  id: z.string(),
  email: z.string(),
  role: ZRole,
  orgId: z.string(),
  orgName: z.string(),
  emailVerified: z.boolean(),
})

const ZSession = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: z.date(),
  refreshToken: z.string(),
  user: ZSessionUser,
})

/** Signed in at once (email off), or told to confirm the address first (email on). */
const ZRegisterOutput = z.discriminatedUnion('status', [
  ZSession.extend({ status: z.literal('signed_in') }),
  z.object({ status: z.literal('verification_sent') }),
])

const ZOk = z.object({ ok: z.literal(true) })

/** What sign-in, sign-up and refresh take from the request context. */
function authDeps(ctx: AuthDeps): AuthDeps {
  return {
    db: ctx.db,
    jwt: ctx.jwt,
    authLimiter: ctx.authLimiter,
    authLimits: ctx.authLimits,
    refreshTokenTtlSec: ctx.refreshTokenTtlSec,
    email: ctx.email,
  }
}

export const authRouter = router({
  register: credentialsProcedure
    .input(ZRegisterInput)
    .output(ZRegisterOutput)
    .mutation(({ ctx, input }) => register(authDeps(ctx), input, ctx.clientIp)),
  login: credentialsProcedure
    .input(ZLoginInput)
    .output(ZSession)
    .mutation(({ ctx, input }) => login(authDeps(ctx), input, ctx.clientIp)),
  refresh: credentialsProcedure
    .input(ZRefreshInput)
    .output(ZSession)
    .mutation(({ ctx, input }) => refresh(authDeps(ctx), input.refreshToken)),
  logout: publicProcedure
    .input(ZRefreshInput)
    .mutation(({ ctx, input }) => logout({ db: ctx.db }, input.refreshToken)),
  me: protectedProcedure.output(ZSessionUser).query(({ ctx }) => toSessionUser(ctx.user)),
  emailStatus: publicProcedure
    .output(z.object({ isEmailEnabled: z.boolean() }))
    .query(({ ctx }) => describeEmail({ email: ctx.email })),
  verifyEmail: credentialsProcedure
    .input(ZVerifyEmailInput)
    .output(ZSession)
    .mutation(({ ctx, input }) => verifyEmail(authDeps(ctx), input)),
  requestPasswordReset: credentialsProcedure
    .input(ZRequestPasswordResetInput)
    .output(ZOk)
    .mutation(({ ctx, input }) => requestPasswordReset(authDeps(ctx), input, ctx.clientIp)),
  resetPassword: credentialsProcedure
    .input(ZResetPasswordInput)
    .output(ZOk)
    .mutation(({ ctx, input }) => resetPassword(authDeps(ctx), input, ctx.clientIp)),
  requestVerification: protectedProcedure
    .output(ZOk)
    .mutation(({ ctx }) => requestVerification({ db: ctx.db, email: ctx.email }, ctx.user)),
})
