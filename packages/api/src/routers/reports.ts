import { z } from 'zod'
import {
  ZCreateReportScheduleInput,
  ZDailyReportInput,
  ZDriversReportInput,
  ZIdInput,
  ZTimeRangeReportInput,
  ZUpdateReportScheduleInput,
} from '../schemas/index.ts'
import { buildDriversReport } from '../services/driver-report.ts'
import {
  findLongDrivingSessions,
  findLowFuelVehicles,
  findStationaryVehicles,
} from '../services/fleet-questions.ts'
import { formatCsvFilename, formatTripsCsv } from '../services/report-csv.ts'
import {
  createOrgReportSchedule,
  listOrgReportSchedules,
  removeOrgReportSchedule,
  updateOrgReportSchedule,
} from '../services/report-schedules.ts'
import { buildDailyReport, buildTripsReport } from '../services/reports.ts'
import { findEffectiveSettings } from '../services/settings.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

const owner = (ctx: { user: { orgId: string; id: string } }) => ({
  orgId: ctx.user.orgId,
  userId: ctx.user.id,
})

/**
 * Reports emailed on a schedule (daily, weekly, monthly). Admin only: a schedule mails the
 * organization's figures to the recipients it names. `list` says whether email is on at all.
 */
const schedulesRouter = router({
  list: adminProcedure.query(({ ctx }) =>
    listOrgReportSchedules({ db: ctx.db, email: ctx.email }, ctx.user.orgId),
  ),
  create: adminProcedure
    .input(ZCreateReportScheduleInput)
    .mutation(({ ctx, input }) => createOrgReportSchedule({ db: ctx.db }, owner(ctx), input)),
  update: adminProcedure
    .input(ZUpdateReportScheduleInput)
    .mutation(({ ctx, input }) => updateOrgReportSchedule({ db: ctx.db }, owner(ctx), input)),
  remove: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) =>
      removeOrgReportSchedule({ db: ctx.db }, ctx.user.orgId, input.id),
    ),
})

/**
 * Trips and daily summaries computed from stored points (org-scoped), and the trips CSV. The
 * daily CSV is streamed over plain HTTP (`GET /api/reports/daily.csv`), not built in one answer.
 */
export const reportsRouter = router({
  schedules: schedulesRouter,
  /** Fleet questions: vehicles low on fuel now (last reported level under `threshold` %). */
  lowFuel: protectedProcedure
    .input(z.object({ threshold: z.number().min(1).max(100).default(15) }))
    .query(({ ctx, input }) => findLowFuelVehicles({ db: ctx.db }, ctx.scope, input.threshold)),
  /** Fleet questions: vehicles standing still for at least `minMinutes`. */
  stationary: protectedProcedure
    .input(
      z.object({
        minMinutes: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60)
          .default(60),
      }),
    )
    .query(({ ctx, input }) => findStationaryVehicles({ db: ctx.db }, ctx.scope, input.minMinutes)),
  /** Fleet questions: driving sessions of at least `minHours` without a 20-minute break. */
  longDriving: protectedProcedure
    .input(
      z.object({
        minHours: z.number().min(0.25).max(24).default(4),
        withinHours: z
          .number()
          .min(1)
          .max(7 * 24)
          .default(24),
      }),
    )
    .query(({ ctx, input }) => findLongDrivingSessions({ db: ctx.db }, ctx.scope, input)),
  trips: protectedProcedure
    .input(ZTimeRangeReportInput)
    .query(({ ctx, input }) => buildTripsReport({ db: ctx.db }, ctx.scope, input)),
  /** Per driver: distance, driving time, trips, alerts and the score with its breakdown. */
  drivers: protectedProcedure
    .input(ZDriversReportInput)
    .query(({ ctx, input }) => buildDriversReport({ db: ctx.db }, ctx.scope, input)),
  daily: protectedProcedure
    .input(ZDailyReportInput)
    .query(({ ctx, input }) => buildDailyReport({ db: ctx.db }, ctx.scope, input)),
  tripsCsv: protectedProcedure.input(ZTimeRangeReportInput).query(async ({ ctx, input }) => {
    const [{ trips }, units] = await Promise.all([
      buildTripsReport({ db: ctx.db }, ctx.scope, input),
      findEffectiveSettings({ db: ctx.db }, { orgId: ctx.user.orgId, userId: ctx.user.id }),
    ])
    return {
      filename: formatCsvFilename('trips', input.from, input.to),
      csv: formatTripsCsv(trips, units),
    }
  }),
})
