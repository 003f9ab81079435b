import { z } from 'zod'
import {
  ZAssignDriverInput,
  ZAssignmentsInput,
  ZCreateDriverInput,
  ZIdInput,
  ZListDriversInput,
  ZScoreWeights,
  ZUnassignDriverInput,
  ZUpdateDriverInput,
} from '../schemas/index.ts'
import {
  assignOrgDriver,
  createOrgDriver,
  findOrgDriver,
  findOrgScoreWeights,
  listCurrentDrivers,
  listOrgAssignments,
  listOrgDrivers,
  removeOrgDriver,
  unassignOrgDriver,
  updateOrgDriver,
  updateOrgScoreWeights,
} from '../services/drivers.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

/**
 * Drivers and who drove what when. Everyone reads; admins manage drivers, assignments and the
 * score's weights. Devices move assignments themselves by reporting `driver_id`.
 */
export const driversRouter = router({
  list: protectedProcedure
    .input(ZListDriversInput)
    .query(({ ctx, input }) => listOrgDrivers({ db: ctx.db }, ctx.user.orgId, input)),
  byId: protectedProcedure
    .input(ZIdInput)
    .query(({ ctx, input }) => findOrgDriver({ db: ctx.db }, ctx.user.orgId, input.id)),
  create: adminProcedure
    .input(ZCreateDriverInput)
    .mutation(({ ctx, input }) => createOrgDriver({ db: ctx.db }, ctx.user.orgId, input)),
  update: adminProcedure
    .input(ZUpdateDriverInput)
    .mutation(({ ctx, input }) => updateOrgDriver({ db: ctx.db }, ctx.user.orgId, input)),
  remove: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) => removeOrgDriver({ db: ctx.db }, ctx.user.orgId, input.id)),
  assign: adminProcedure
    .input(ZAssignDriverInput)
    .mutation(({ ctx, input }) => assignOrgDriver({ db: ctx.db }, ctx.user.orgId, input)),
  unassign: adminProcedure
    .input(ZUnassignDriverInput)
    .mutation(({ ctx, input }) => unassignOrgDriver({ db: ctx.db }, ctx.user.orgId, input)),
  assignments: protectedProcedure
    .input(ZAssignmentsInput)
    .query(({ ctx, input }) => listOrgAssignments({ db: ctx.db }, ctx.scope, input)),
  /** Who drives each vehicle now: for the live map list and the vehicle panel. */
  current: protectedProcedure
    .input(z.object({}).optional())
    .query(({ ctx }) => listCurrentDrivers({ db: ctx.db }, ctx.scope)),
  scoreWeights: protectedProcedure
    .input(z.object({}).optional())
    .query(({ ctx }) => findOrgScoreWeights({ db: ctx.db }, ctx.user.orgId)),
  updateScoreWeights: adminProcedure
    .input(ZScoreWeights)
    .mutation(({ ctx, input }) => updateOrgScoreWeights({ db: ctx.db }, ctx.user.orgId, input)),
})
