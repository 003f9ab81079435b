import { ZDailyReportInput, ZTimeRangeReportInput } from '../schemas/index.ts'
import { formatCsvFilename, formatDailyCsv, formatTripsCsv } from '../services/report-csv.ts'
import { buildDailyReport, buildTripsReport } from '../services/reports.ts'
import { protectedProcedure, router } from '../trpc.ts'

/** Trips and daily summaries computed from stored points (org-scoped), and their CSV exports. */
export const reportsRouter = router({
  trips: protectedProcedure
    .input(ZTimeRangeReportInput)
    .query(({ ctx, input }) => buildTripsReport(ctx, ctx.user.orgId, input)),
  daily: protectedProcedure
    .input(ZDailyReportInput)
    .query(({ ctx, input }) => buildDailyReport(ctx, ctx.user.orgId, input)),
  tripsCsv: protectedProcedure.input(ZTimeRangeReportInput).query(async ({ ctx, input }) => {
    const { trips } = await buildTripsReport(ctx, ctx.user.orgId, input)
    return {
      filename: formatCsvFilename('trips', input.from, input.to),
      csv: formatTripsCsv(trips),
    }
  }),
  dailyCsv: protectedProcedure.input(ZDailyReportInput).query(async ({ ctx, input }) => {
    const { vehicles } = await buildDailyReport(ctx, ctx.user.orgId, input)
    return {
      filename: formatCsvFilename('daily', input.from, input.to),
      csv: formatDailyCsv(vehicles),
    }
  }),
})
