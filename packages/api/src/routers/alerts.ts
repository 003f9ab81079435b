import {
  ZAlertsCsvInput,
  ZFleetChangesInput,
  ZIdInput,
  ZListAlertsInput,
} from '../schemas/index.ts'
import { acknowledgeOrgAlert, listOrgAlerts } from '../services/alerts.ts'
import { liveAlerts } from '../services/live-alerts.ts'
import { buildAlertsCsv, formatCsvFilename } from '../services/report-csv.ts'
import { protectedProcedure, router } from '../trpc.ts'

export const alertsRouter = router({
  list: protectedProcedure
    .input(ZListAlertsInput)
    .query(({ ctx, input }) => listOrgAlerts({ db: ctx.db }, ctx.scope, input)),
  /** Any member of the organization may acknowledge; the first acknowledgement is kept. */
  acknowledge: protectedProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) =>
      acknowledgeOrgAlert({ db: ctx.db }, ctx.user, ctx.scope, input.id),
    ),
  /** Stored alert versions of the caller's organization as they happen; resumable (tracked ids). */
  live: protectedProcedure
    .input(ZFleetChangesInput)
    .subscription(({ ctx, input, signal }) =>
      liveAlerts(
        { live: ctx.live, connection: ctx.connection },
        { scope: ctx.scope, userId: ctx.user.id, lastEventId: input.lastEventId },
        signal,
      ),
    ),
  csv: protectedProcedure.input(ZAlertsCsvInput).query(async ({ ctx, input }) => ({
    filename: formatCsvFilename('alerts', input.from, input.to),
    csv: await buildAlertsCsv({ db: ctx.db }, ctx.scope, input),
  })),
})
