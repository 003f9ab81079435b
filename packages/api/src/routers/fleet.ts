import { ZFleetChangesInput, ZFleetOverviewInput } from '../schemas/index.ts'
import { buildFleetOverview } from '../services/fleet-overview.ts'
import { fleetChanges } from '../services/live.ts'
import { protectedProcedure, router } from '../trpc.ts'

export const fleetRouter = router({
  /** Vehicles and devices created, updated or removed in the caller's organization. */
  changes: protectedProcedure
    .input(ZFleetChangesInput)
    .subscription(({ ctx, input, signal }) =>
      fleetChanges(
        { live: ctx.live, connection: ctx.connection },
        { scope: ctx.scope, userId: ctx.user.id, lastEventId: input.lastEventId },
        signal,
      ),
    ),
  /** The caller's organization on one day: distance, time, trips, alerts, farthest vehicles. */
  overview: protectedProcedure
    .input(ZFleetOverviewInput)
    .query(({ ctx, input }) => buildFleetOverview({ db: ctx.db }, ctx.scope, input)),
})
