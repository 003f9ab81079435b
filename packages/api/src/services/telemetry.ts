import {
  findLatestVehicleStates,
  findVehicleHistory,
  findVehiclePointsPage,
} from '@fms/db/queries/telemetry'
import { findVehicleById } from '@fms/db/queries/vehicles'
import type { ApiDeps, DbDeps } from '../context.ts'
import {
  encodeTelemetryPointsCursor,
  type TTelemetryHistoryInput,
  type TTelemetryPointsInput,
} from '../schemas/index.ts'
import { orNotFound } from './db-errors.ts'

/**
 * Every vehicle's last known state, and the live stream position to resume from: subscribe
 * to `telemetry.live` with this `lastEventId` and nothing committed after the snapshot is missed.
 */
export async function findLatestFleetState(deps: Pick<ApiDeps, 'db' | 'live'>, orgId: string) {
  const lastEventId = await deps.live.latestId(orgId)
  const vehicles = await findLatestVehicleStates(deps.db, orgId)
  return { vehicles, lastEventId }
}

/** A vehicle's track and readings over a time range, downsampled in the database. */
export async function findOrgVehicleHistory(
  deps: DbDeps,
  orgId: string,
  input: TTelemetryHistoryInput,
) {
  await orNotFound(findVehicleById(deps.db, { orgId, id: input.vehicleId }), 'Vehicle')
  return findVehicleHistory(deps.db, { ...input, orgId })
}

/**
 * A vehicle's raw points in [from, to), a page at a time in (time, device) order: pass each
 * answer's `nextCursor` as `cursor` until it is null. Keyset paging, so pages neither skip nor
 * repeat a point, also when several devices report the same timestamp.
 */
export async function findOrgVehiclePointsPage(
  deps: DbDeps,
  orgId: string,
  input: TTelemetryPointsInput,
) {
  const { vehicleId, from, to, limit, cursor } = input
  await orNotFound(findVehicleById(deps.db, { orgId, id: vehicleId }), 'Vehicle')
  const page = await findVehiclePointsPage(deps.db, {
    orgId,
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
}
