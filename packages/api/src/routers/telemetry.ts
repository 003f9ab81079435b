import {
  ZLiveTelemetryInput,
  ZTelemetryHistoryInput,
  ZTelemetryPointsInput,
} from '../schemas/index.ts'
import { liveTelemetry } from '../services/live.ts'
import {
  findLatestFleetState,
  findOrgVehicleHistory,
  findOrgVehiclePointsPage,
} from '../services/telemetry.ts'
import { protectedProcedure, router } from '../trpc.ts'

export const telemetryRouter = router({
  /**
   * Every vehicle's last known state, and the live stream position to resume from: subscribe
   * to `telemetry.live` with this `lastEventId` and nothing committed after the snapshot is missed.
   */
  latest: protectedProcedure.query(({ ctx }) =>
    findLatestFleetState({ db: ctx.db, live: ctx.live }, ctx.scope),
  ),
  /** A vehicle's track and readings over a time range, downsampled in the database. */
  history: protectedProcedure
    .input(ZTelemetryHistoryInput)
    .query(({ ctx, input }) => findOrgVehicleHistory({ db: ctx.db }, ctx.scope, input)),
  /**
   * A vehicle's raw points in [from, to), a page at a time in (time, device) order: pass each
   * answer's `nextCursor` as `cursor` until it is null.
   */
  points: protectedProcedure
    .input(ZTelemetryPointsInput)
    .query(({ ctx, input }) => findOrgVehiclePointsPage({ db: ctx.db }, ctx.scope, input)),
  live: protectedProcedure.input(ZLiveTelemetryInput).subscription(({ ctx, input, signal }) =>
    liveTelemetry(
      { live: ctx.live, connection: ctx.connection },
      {
        orgId: ctx.user.orgId,
        userId: ctx.user.id,
        filter: {
          // A group-limited user hears only their vehicles (the ids asked for were checked).
          vehicleIds: input.vehicleIds ?? ctx.scope.vehicleIds ?? undefined,
          bbox: input.bbox,
        },
        lastEventId: input.lastEventId,
        format: input.format,
      },
      signal,
    ),
  ),
})
