import { deleteDevice, findDeviceById, listDevices } from '@fms/db/queries/devices'
import {
  ZCreateDeviceInput,
  ZIdInput,
  ZListDevicesInput,
  ZUpdateDeviceInput,
} from '../schemas/index.ts'
import { mapDbErrors, orNotFound } from '../services/db-errors.ts'
import { createOrgDevice, updateOrgDevice } from '../services/devices.ts'
import { publishFleetChange } from '../services/live.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

export const devicesRouter = router({
  list: protectedProcedure
    .input(ZListDevicesInput)
    .query(({ ctx, input }) =>
      mapDbErrors(listDevices(ctx.db, { ...input, orgId: ctx.user.orgId })),
    ),
  byId: protectedProcedure
    .input(ZIdInput)
    .query(({ ctx, input }) =>
      orNotFound(findDeviceById(ctx.db, { orgId: ctx.user.orgId, id: input.id }), 'Device'),
    ),
  create: adminProcedure
    .input(ZCreateDeviceInput)
    .mutation(async ({ ctx, input }) =>
      publishFleetChange(
        ctx,
        'device',
        'created',
        await createOrgDevice(ctx, ctx.user.orgId, input),
      ),
    ),
  update: adminProcedure
    .input(ZUpdateDeviceInput)
    .mutation(async ({ ctx, input }) =>
      publishFleetChange(
        ctx,
        'device',
        'updated',
        await updateOrgDevice(ctx, ctx.user.orgId, input),
      ),
    ),
  remove: adminProcedure.input(ZIdInput).mutation(async ({ ctx, input }) => {
    const device = await orNotFound(
      deleteDevice(ctx.db, { orgId: ctx.user.orgId, id: input.id }),
      'Device',
    )
    return publishFleetChange(ctx, 'device', 'removed', device)
  }),
})
