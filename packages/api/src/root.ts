import { authRouter } from './routers/auth.ts'
import { devicesRouter } from './routers/devices.ts'
import { tokensRouter } from './routers/tokens.ts'
import { usersRouter } from './routers/users.ts'
import { vehiclesRouter } from './routers/vehicles.ts'
import { createCallerFactory, router } from './trpc.ts'

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  vehicles: vehiclesRouter,
  devices: devicesRouter,
  tokens: tokensRouter,
})

export type AppRouter = typeof appRouter

export const createCaller = createCallerFactory(appRouter)
