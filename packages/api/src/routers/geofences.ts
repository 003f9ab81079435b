import {
  createGeofence,
  deleteGeofence,
  findGeofenceById,
  listGeofences,
  updateGeofence,
} from '@fms/db/queries/geofences'
import {
  ZCreateGeofenceInput,
  ZIdInput,
  ZListGeofencesInput,
  ZUpdateGeofenceInput,
} from '../schemas/index.ts'
import { mapDbErrors, orNotFound } from '../services/db-errors.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

export const geofencesRouter = router({
  list: protectedProcedure
    .input(ZListGeofencesInput)
    .query(({ ctx, input }) =>
      mapDbErrors(listGeofences(ctx.db, { ...input, orgId: ctx.user.orgId })),
    ),
  byId: protectedProcedure
    .input(ZIdInput)
    .query(({ ctx, input }) =>
      orNotFound(findGeofenceById(ctx.db, { orgId: ctx.user.orgId, id: input.id }), 'Geofence'),
    ),
  create: adminProcedure
    .input(ZCreateGeofenceInput)
    .mutation(({ ctx, input }) => createGeofence(ctx.db, { ...input, orgId: ctx.user.orgId })),
  update: adminProcedure.input(ZUpdateGeofenceInput).mutation(({ ctx, input }) => {
    const { id, ...patch } = input
    return orNotFound(updateGeofence(ctx.db, { orgId: ctx.user.orgId, id, patch }), 'Geofence')
  }),
  remove: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) =>
      orNotFound(deleteGeofence(ctx.db, { orgId: ctx.user.orgId, id: input.id }), 'Geofence'),
    ),
})
