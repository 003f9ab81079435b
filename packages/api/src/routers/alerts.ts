import { acknowledgeAlert, listAlerts } from '@fms/db/queries/alerts'
import {
  ZAlertsCsvInput,
  ZFleetChangesInput,
  ZIdInput,
  ZListAlertsInput,
} from '../schemas/index.ts'
import { mapDbErrors, orNotFound } from '../services/db-errors.ts'
import { liveAlerts } from '../services/live-alerts.ts'
import { buildAlertsCsv, formatCsvFilename } from '../services/report-csv.ts'
import { protectedProcedure, router } from '../trpc.ts'

export const alertsRouter = router({
  list: protectedProcedure
    .input(ZListAlertsInput)
    .query(({ ctx, input }) =>
      mapDbErrors(listAlerts(ctx.db, { ...input, orgId: ctx.user.orgId })),
    ),
  /** Any member of the organization may acknowledge; the first acknowledgement is kept. */
  acknowledge: protectedProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) =>
      orNotFound(
        acknowledgeAlert(ctx.db, { orgId: ctx.user.orgId, id: input.id, userId: ctx.user.id }),
        'Alert',
      ),
    ),
  /** Stored alert versions of the caller's organization as they happen; resumable (tracked ids). */
  live: protectedProcedure
    .input(ZFleetChangesInput)
    .subscription(({ ctx, input, signal }) =>
      liveAlerts(
        ctx,
        { orgId: ctx.user.orgId, userId: ctx.user.id, lastEventId: input.lastEventId },
        signal,
      ),
    ),
  csv: protectedProcedure.input(ZAlertsCsvInput).query(async ({ ctx, input }) => ({
    filename: formatCsvFilename('alerts', input.from, input.to),
    csv: await buildAlertsCsv(ctx, ctx.user.orgId, input),
  })),
})
