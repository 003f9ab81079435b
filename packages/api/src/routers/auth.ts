import { z } from 'zod'
import { AppError } from '../errors.ts'
import { addressKey } from '../rate-limit.ts'
import {
  ZLoginInput,
  ZRefreshInput,
  ZRegisterInput,
  ZRequestPasswordResetInput,
  ZResetPasswordInput,
  ZRole,
  ZSecondFactorInput,
  ZSsoExchangeInput,
  ZSsoOptionsInput,
  ZVerifyEmailInput,
} from '../schemas/index.ts'
import {
  requestPasswordReset,
  requestVerification,
  resetPassword,
  verifyEmail,
} from '../services/accounts.ts'
import {
  type AuthDeps,
  authLimits,
  type ClientInfo,
  login,
  logout,
  refresh,
  register,
  reserveAttempt,
  toSessionUser,
} from '../services/auth.ts'
import { describeEmail } from '../services/notifications.ts'
import {
  listSessions,
  revokeOtherSessions,
  revokeSession,
  type SessionCaller,
} from '../services/sessions.ts'
import { describeSsoOptions, exchangeSso } from '../services/sso-flow.ts'
import { verifySecondFactor } from '../services/two-factor.ts'
import { credentialsProcedure, protectedProcedure, publicProcedure, router } from '../trpc.ts'
import { twoFactorRouter } from './two-factor.ts'

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

/**
 * The caller whose sessions the sessions procedures see: a user's own access token. An integrator
 * API key acts as an admin but has no sessions, and may not end the admin's.
 */
function sessionCaller(ctx: {
  user: { id: string }
  sessionId: string | null
  apiKey: unknown
}): SessionCaller {
  if (ctx.apiKey) throw new AppError('FORBIDDEN', 'API keys have no sessions')
  return { userId: ctx.user.id, sessionId: ctx.sessionId }
}

const ZOk = z.object({ ok: z.literal(true) })

/** A device signed in: a refresh-token family. Never a token or its digest. */
const ZSessionEntry = z.object({
  id: z.string(),
  /** "Firefox on Linux", or the User-Agent cut short. */
  device: z.string(),
  userAgent: z.string().nullable(),
  clientIp: z.string().nullable(),
  createdAt: z.date(),
  lastUsedAt: z.date(),
  /** The session the call was made with. */
  isCurrent: z.boolean(),
})

const ZSignedIn = ZSession.extend({
  status: z.literal('signed_in'),
  /** An admin of an organization that requires two-factor sign-in who has not set it up. */
  isTwoFactorSetupRequired: z.boolean(),
})

/** Signed in, or (two-factor sign-in on) asked for a code: `auth.verifySecondFactor`. */
const ZLoginOutput = z.discriminatedUnion('status', [
  ZSignedIn,
  z.object({ status: z.literal('second_factor'), challenge: z.string() }),
])

/** What sign-in, sign-up and refresh take from the request context. */
function authDeps(ctx: AuthDeps & ClientInfo): AuthDeps {
  return {
    client: { userAgent: ctx.userAgent, clientIp: ctx.clientIp },
    secretKey: ctx.secretKey,
    db: ctx.db,
    jwt: ctx.jwt,
    authLimiter: ctx.authLimiter,
    authLimits: ctx.authLimits,
    refreshTokenTtlSec: ctx.refreshTokenTtlSec,
    email: ctx.email,
  }
}

/**
 * Single sign-on lookups count against the address's sign-in budget (they tell whether a domain
 * has SSO, a little about who uses FMS), and are never given back.
 */
async function reserveSsoLookup(ctx: AuthDeps & { clientIp: string | null }) {
  if (!ctx.clientIp) return
  const { loginPerAddress: limit, loginWindowMs: windowMs } = authLimits(ctx)
  const rules = [{ key: `sso-options:address:${addressKey(ctx.clientIp)}`, limit, windowMs }]
  await reserveAttempt(ctx, rules, 'Too many sign-in attempts; try again later')
}

export const authRouter = router({
  register: credentialsProcedure
    .input(ZRegisterInput)
    .output(ZRegisterOutput)
    .mutation(({ ctx, input }) => register(authDeps(ctx), input, ctx.clientIp)),
  login: credentialsProcedure
    .input(ZLoginInput)
    .output(ZLoginOutput)
    .mutation(({ ctx, input }) => login(authDeps(ctx), input, ctx.clientIp)),
  /** The second step of a sign-in: the challenge and a code from the app or a recovery code. */
  verifySecondFactor: credentialsProcedure
    .input(ZSecondFactorInput)
    .output(ZSignedIn)
    .mutation(({ ctx, input }) => verifySecondFactor(authDeps(ctx), input, ctx.clientIp)),
  twoFactor: twoFactorRouter,
  /** Whether the email's domain signs in through single sign-on; nothing more is said. */
  ssoOptions: credentialsProcedure
    .input(ZSsoOptionsInput)
    .output(z.object({ available: z.boolean() }))
    .query(async ({ ctx, input }) => {
      await reserveSsoLookup(ctx)
      return describeSsoOptions({ db: ctx.db }, input.email)
    }),
  /** The session of a finished single sign-on, for the one-time code its callback handed over. */
  ssoExchange: credentialsProcedure
    .input(ZSsoExchangeInput)
    .output(ZSignedIn)
    .mutation(({ ctx, input }) => exchangeSso(authDeps(ctx), input)),
  refresh: credentialsProcedure
    .input(ZRefreshInput)
    .output(ZSession)
    .mutation(({ ctx, input }) => refresh(authDeps(ctx), input.refreshToken)),
  logout: publicProcedure
    .input(ZRefreshInput)
    .mutation(({ ctx, input }) => logout({ db: ctx.db }, input.refreshToken)),
  /** The caller's live sessions (devices signed in), newest use first. */
  sessions: protectedProcedure
    .output(z.array(ZSessionEntry))
    .query(({ ctx }) => listSessions(ctx.db, sessionCaller(ctx))),
  /** Ends one of the caller's sessions: its refresh and access tokens stop working at once. */
  revokeSession: protectedProcedure
    .input(z.object({ id: z.uuid() }))
    .output(z.object({ ok: z.literal(true), isCurrent: z.boolean() }))
    .mutation(({ ctx, input }) => revokeSession(ctx.db, sessionCaller(ctx), input.id)),
  /** Ends every session of the caller except the one making the call. */
  revokeOtherSessions: protectedProcedure
    .output(z.object({ revoked: z.number().int() }))
    .mutation(({ ctx }) => revokeOtherSessions(ctx.db, sessionCaller(ctx))),
  me: protectedProcedure.output(ZSessionUser).query(({ ctx }) => toSessionUser(ctx.user)),
  emailStatus: publicProcedure
    .output(z.object({ isEmailEnabled: z.boolean() }))
    .query(({ ctx }) => describeEmail({ email: ctx.email })),
  /** Confirms the address and signs in, or asks for the second factor, exactly like `login`. */
  verifyEmail: credentialsProcedure
    .input(ZVerifyEmailInput)
    .output(ZLoginOutput)
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
