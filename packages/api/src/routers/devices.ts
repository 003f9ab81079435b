import {
  ZCreateDeviceInput,
  ZIdInput,
  ZListDevicesInput,
  ZUpdateDeviceInput,
} from '../schemas/index.ts'
import {
  createOrgDevice,
  findOrgDevice,
  listOrgDevices,
  removeOrgDevice,
  updateOrgDevice,
} from '../services/devices.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

export const devicesRouter = router({
  list: protectedProcedure
    .input(ZListDevicesInput)
    .query(({ ctx, input }) => listOrgDevices({ db: ctx.db }, ctx.scope, input)),
  byId: protectedProcedure
    .input(ZIdInput)
    .query(({ ctx, input }) => findOrgDevice({ db: ctx.db }, ctx.scope, input.id)),
  create: adminProcedure
    .input(ZCreateDeviceInput)
    .mutation(({ ctx, input }) =>
      createOrgDevice({ db: ctx.db, live: ctx.live }, ctx.user.orgId, input),
    ),
  update: adminProcedure
    .input(ZUpdateDeviceInput)
    .mutation(({ ctx, input }) =>
      updateOrgDevice({ db: ctx.db, live: ctx.live }, ctx.user.orgId, input),
    ),
  remove: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) =>
      removeOrgDevice({ db: ctx.db, live: ctx.live }, ctx.user.orgId, input.id),
    ),
})
