import { z } from 'zod'
import { ZLoginInput, ZRefreshInput, ZRegisterInput, ZRole } from '../schemas/index.ts'
import { type AuthDeps, login, logout, refresh, register, toSessionUser } from '../services/auth.ts'
import { credentialsProcedure, protectedProcedure, publicProcedure, router } from '../trpc.ts'

const ZSessionUser = z.object({
  id: z.string(),
  email: z.string(),
  role: ZRole,
  orgId: z.string(),
  orgName: z.string(),
})

const ZSession = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: z.date(),
  refreshToken: z.string(),
  user: ZSessionUser,
})

/** What sign-in, sign-up and refresh take from the request context. */
function authDeps(ctx: AuthDeps): AuthDeps {
  return {
    db: ctx.db,
    jwt: ctx.jwt,
    authLimiter: ctx.authLimiter,
    authLimits: ctx.authLimits,
    refreshTokenTtlSec: ctx.refreshTokenTtlSec,
  }
}

export const authRouter = router({
  register: credentialsProcedure
    .input(ZRegisterInput)
    .output(ZSession)
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
})
