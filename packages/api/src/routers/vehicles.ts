import {
  ZCreateVehicleInput,
  ZIdInput,
  ZListVehiclesInput,
  ZUpdateVehicleInput,
} from '../schemas/index.ts'
import {
  createOrgVehicle,
  findOrgVehicle,
  listOrgVehicles,
  removeOrgVehicle,
  updateOrgVehicle,
} from '../services/vehicles.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

export const vehiclesRouter = router({
  list: protectedProcedure
    .input(ZListVehiclesInput)
    .query(({ ctx, input }) => listOrgVehicles({ db: ctx.db }, ctx.scope, input)),
  byId: protectedProcedure
    .input(ZIdInput)
    .query(({ ctx, input }) => findOrgVehicle({ db: ctx.db }, ctx.scope, input.id)),
  create: adminProcedure
    .input(ZCreateVehicleInput)
    .mutation(({ ctx, input }) =>
      createOrgVehicle({ db: ctx.db, live: ctx.live }, ctx.user.orgId, input),
    ),
  update: adminProcedure
    .input(ZUpdateVehicleInput)
    .mutation(({ ctx, input }) =>
      updateOrgVehicle({ db: ctx.db, live: ctx.live }, ctx.user.orgId, input),
    ),
  remove: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) =>
      removeOrgVehicle({ db: ctx.db, live: ctx.live }, ctx.user.orgId, input.id),
    ),
})
