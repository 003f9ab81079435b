import { acknowledgeAlert, listAlerts } from '@fms/db/queries/alerts'
import { mapDbErrors, orNotFound } from '../errors.ts'
import { ZIdInput, ZListAlertsInput } from '../schemas/index.ts'
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
})
