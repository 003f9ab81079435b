import {
  ZCreateGeofenceInput,
  ZIdInput,
  ZListGeofencesInput,
  ZUpdateGeofenceInput,
} from '../schemas/index.ts'
import {
  createOrgGeofence,
  findOrgGeofence,
  listOrgGeofences,
  removeOrgGeofence,
  updateOrgGeofence,
} from '../services/geofences.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

export const geofencesRouter = router({
  list: protectedProcedure
    .input(ZListGeofencesInput)
    .query(({ ctx, input }) => listOrgGeofences({ db: ctx.db }, ctx.user.orgId, input)),
  byId: protectedProcedure
    .input(ZIdInput)
    .query(({ ctx, input }) => findOrgGeofence({ db: ctx.db }, ctx.user.orgId, input.id)),
  create: adminProcedure
    .input(ZCreateGeofenceInput)
    .mutation(({ ctx, input }) => createOrgGeofence({ db: ctx.db }, ctx.user.orgId, input)),
  update: adminProcedure
    .input(ZUpdateGeofenceInput)
    .mutation(({ ctx, input }) => updateOrgGeofence({ db: ctx.db }, ctx.user.orgId, input)),
  remove: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) => removeOrgGeofence({ db: ctx.db }, ctx.user.orgId, input.id)),
})
