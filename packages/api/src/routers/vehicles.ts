import {
  createVehicle,
  deleteVehicle,
  findVehicleById,
  listVehicles,
  updateVehicle,
} from '@fms/db/queries/vehicles'
import { type ConflictFields, mapDbErrors, orNotFound } from '../errors.ts'
import {
  ZCreateVehicleInput,
  ZIdInput,
  ZListVehiclesInput,
  ZUpdateVehicleInput,
} from '../schemas/index.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

const CONFLICTS: ConflictFields = {
  vehicles_org_code_key: { field: 'code', message: 'A vehicle with this code already exists' },
  vehicles_org_vin_key: { field: 'vin', message: 'A vehicle with this VIN already exists' },
}

export const vehiclesRouter = router({
  list: protectedProcedure
    .input(ZListVehiclesInput)
    .query(({ ctx, input }) =>
      mapDbErrors(listVehicles(ctx.db, { ...input, orgId: ctx.user.orgId })),
    ),
  byId: protectedProcedure
    .input(ZIdInput)
    .query(({ ctx, input }) =>
      orNotFound(findVehicleById(ctx.db, { orgId: ctx.user.orgId, id: input.id }), 'Vehicle'),
    ),
  create: adminProcedure
    .input(ZCreateVehicleInput)
    .mutation(({ ctx, input }) =>
      mapDbErrors(createVehicle(ctx.db, { orgId: ctx.user.orgId, fields: input }), CONFLICTS),
    ),
  update: adminProcedure.input(ZUpdateVehicleInput).mutation(({ ctx, input }) => {
    const { id, ...patch } = input
    return orNotFound(
      mapDbErrors(updateVehicle(ctx.db, { orgId: ctx.user.orgId, id, patch }), CONFLICTS),
      'Vehicle',
    )
  }),
  remove: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) =>
      orNotFound(deleteVehicle(ctx.db, { orgId: ctx.user.orgId, id: input.id }), 'Vehicle'),
    ),
})
