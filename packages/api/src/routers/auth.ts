import { z } from 'zod'
import { ZLoginInput, ZRefreshInput, ZRegisterInput, ZRole } from '../schemas/index.ts'
import { login, logout, refresh, register, toSessionUser } from '../services/auth.ts'
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

export const authRouter = router({
  register: credentialsProcedure
    .input(ZRegisterInput)
    .output(ZSession)
    .mutation(({ ctx, input }) => register(ctx, input)),
  login: credentialsProcedure
    .input(ZLoginInput)
    .output(ZSession)
    .mutation(({ ctx, input }) => login(ctx, input)),
  refresh: credentialsProcedure
    .input(ZRefreshInput)
    .output(ZSession)
    .mutation(({ ctx, input }) => refresh(ctx, input.refreshToken)),
  logout: publicProcedure
    .input(ZRefreshInput)
    .mutation(({ ctx, input }) => logout(ctx, input.refreshToken)),
  me: protectedProcedure.output(ZSessionUser).query(({ ctx }) => toSessionUser(ctx.user)),
})
