import {
  createVehicle,
  deleteVehicle,
  findVehicleById,
  listVehicles,
  updateVehicle,
} from '@fms/db/queries/vehicles'
import {
  ZCreateVehicleInput,
  ZIdInput,
  ZListVehiclesInput,
  ZUpdateVehicleInput,
} from '../schemas/index.ts'
import { type ConflictFields, mapDbErrors, orNotFound } from '../services/db-errors.ts'
import { publishFleetChange } from '../services/live.ts'
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
  create: adminProcedure.input(ZCreateVehicleInput).mutation(async ({ ctx, input }) => {
    const vehicle = await mapDbErrors(
      createVehicle(ctx.db, { orgId: ctx.user.orgId, fields: input }),
      CONFLICTS,
    )
    return publishFleetChange(ctx, 'vehicle', 'created', vehicle)
  }),
  update: adminProcedure.input(ZUpdateVehicleInput).mutation(async ({ ctx, input }) => {
    const { id, ...patch } = input
    const vehicle = await orNotFound(
      mapDbErrors(updateVehicle(ctx.db, { orgId: ctx.user.orgId, id, patch }), CONFLICTS),
      'Vehicle',
    )
    return publishFleetChange(ctx, 'vehicle', 'updated', vehicle)
  }),
  remove: adminProcedure.input(ZIdInput).mutation(async ({ ctx, input }) => {
    const vehicle = await orNotFound(
      deleteVehicle(ctx.db, { orgId: ctx.user.orgId, id: input.id }),
      'Vehicle',
    )
    return publishFleetChange(ctx, 'vehicle', 'removed', vehicle)
  }),
})
