import {
  findLatestVehicleStates,
  findVehicleHistory,
  findVehiclePointsPage,
} from '@fms/db/queries/telemetry'
import { findVehicleById } from '@fms/db/queries/vehicles'
import {
  encodeTelemetryPointsCursor,
  ZLiveTelemetryInput,
  ZTelemetryHistoryInput,
  ZTelemetryPointsInput,
} from '../schemas/index.ts'
import { orNotFound } from '../services/db-errors.ts'
import { liveTelemetry } from '../services/live.ts'
import { protectedProcedure, router } from '../trpc.ts'

export const telemetryRouter = router({
  /**
   * Every vehicle's last known state, and the live stream position to resume from: subscribe
   * to `telemetry.live` with this `lastEventId` and nothing committed after the snapshot is missed.
   */
  latest: protectedProcedure.query(async ({ ctx }) => {
    const lastEventId = await ctx.live.latestId(ctx.user.orgId)
    const vehicles = await findLatestVehicleStates(ctx.db, ctx.user.orgId)
    return { vehicles, lastEventId }
  }),
  /** A vehicle's track and readings over a time range, downsampled in the database. */
  history: protectedProcedure.input(ZTelemetryHistoryInput).query(async ({ ctx, input }) => {
    await orNotFound(
      findVehicleById(ctx.db, { orgId: ctx.user.orgId, id: input.vehicleId }),
      'Vehicle',
    )
    return findVehicleHistory(ctx.db, { ...input, orgId: ctx.user.orgId })
  }),
  /**
   * A vehicle's raw points in [from, to), a page at a time in (time, device) order: pass each
   * answer's `nextCursor` as `cursor` until it is null. Keyset paging, so pages neither skip nor
   * repeat a point, also when several devices report the same timestamp.
   */
  points: protectedProcedure.input(ZTelemetryPointsInput).query(async ({ ctx, input }) => {
    const { vehicleId, from, to, limit, cursor } = input
    await orNotFound(findVehicleById(ctx.db, { orgId: ctx.user.orgId, id: vehicleId }), 'Vehicle')
    const page = await findVehiclePointsPage(ctx.db, {
      orgId: ctx.user.orgId,
      vehicleId,
      from,
      to,
      after: cursor,
      limit,
    })
    const nextCursor = page.nextKey
      ? encodeTelemetryPointsCursor({ vehicleId, ...page.nextKey })
      : null
    return { points: page.points, nextCursor }
  }),
  live: protectedProcedure.input(ZLiveTelemetryInput).subscription(({ ctx, input, signal }) =>
    liveTelemetry(
      ctx,
      {
        orgId: ctx.user.orgId,
        userId: ctx.user.id,
        filter: { vehicleIds: input.vehicleIds, bbox: input.bbox },
        lastEventId: input.lastEventId,
      },
      signal,
    ),
  ),
})
