import { z } from 'zod'
import {
  ZCompleteServiceInput,
  ZCreatePurchaseInput,
  ZCreateScheduleInput,
  ZIdInput,
  ZListPurchasesInput,
  ZListSchedulesInput,
  ZServiceHistoryInput,
  ZUpdateScheduleInput,
} from '../schemas/index.ts'
import {
  completeOrgService,
  createOrgPurchase,
  createOrgSchedule,
  formatServicesCsv,
  listOrgPurchases,
  listOrgSchedules,
  listOrgServices,
  listOrgVehicleReadings,
  removeOrgPurchase,
  removeOrgSchedule,
  updateOrgSchedule,
} from '../services/maintenance.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

/**
 * Service schedules with when each vehicle is next due, the service book and its CSV. Everyone
 * reads and logs services (the workshop); admins plan schedules.
 */
export const maintenanceRouter = router({
  list: protectedProcedure
    .input(ZListSchedulesInput)
    .query(({ ctx, input }) => listOrgSchedules({ db: ctx.db }, ctx.scope, input)),
  create: adminProcedure
    .input(ZCreateScheduleInput)
    .mutation(({ ctx, input }) => createOrgSchedule({ db: ctx.db }, ctx.user.orgId, input)),
  update: adminProcedure
    .input(ZUpdateScheduleInput)
    .mutation(({ ctx, input }) => updateOrgSchedule({ db: ctx.db }, ctx.user.orgId, input)),
  remove: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) => removeOrgSchedule({ db: ctx.db }, ctx.user.orgId, input.id)),
  complete: protectedProcedure
    .input(ZCompleteServiceInput)
    .mutation(({ ctx, input }) => completeOrgService({ db: ctx.db }, ctx.user, ctx.scope, input)),
  history: protectedProcedure
    .input(ZServiceHistoryInput)
    .query(({ ctx, input }) => listOrgServices({ db: ctx.db }, ctx.scope, input)),
  historyCsv: protectedProcedure
    .input(ZServiceHistoryInput)
    .query(({ ctx, input }) => formatServicesCsv({ db: ctx.db }, ctx.scope, input)),
  /** Every vehicle's odometer, engine hours and fuel level now. */
  readings: protectedProcedure
    .input(z.object({}).optional())
    .query(({ ctx }) => listOrgVehicleReadings({ db: ctx.db }, ctx.scope)),
})

/** Fuel receipts, each checked against the refuels the tank level shows. */
export const fuelRouter = router({
  list: protectedProcedure
    .input(ZListPurchasesInput)
    .query(({ ctx, input }) => listOrgPurchases({ db: ctx.db }, ctx.scope, input)),
  create: protectedProcedure
    .input(ZCreatePurchaseInput)
    .mutation(({ ctx, input }) => createOrgPurchase({ db: ctx.db }, ctx.scope, input)),
  remove: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) => removeOrgPurchase({ db: ctx.db }, ctx.user.orgId, input.id)),
})
