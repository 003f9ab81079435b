import {
  findLatestVehicleStates,
  findVehicleHistory,
  findVehiclePointsPage,
  findVehiclePointsSince,
  type RawPoint,
} from '@fms/db/queries/telemetry'
import type { VehicleScope } from '@fms/db/queries/vehicle-scope'
import { findVehicleById } from '@fms/db/queries/vehicles'
import { type FixQuality, findFixQualities } from '@fms/engine'
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
export async function findLatestFleetState(
  deps: Pick<ApiDeps, 'db' | 'live'>,
  scope: VehicleScope,
) {
  const { orgId } = scope
  const lastEventId = await deps.live.latestId(orgId)
  const vehicles = await findLatestVehicleStates(deps.db, scope)
  return { vehicles, lastEventId }
}

/** A vehicle's track and readings over a time range, downsampled in the database. */
export async function findOrgVehicleHistory(
  deps: DbDeps,
  scope: VehicleScope,
  input: TTelemetryHistoryInput,
) {
  const { orgId } = scope
  await orNotFound(findVehicleById(deps.db, { scope, id: input.vehicleId }), 'Vehicle')
  return findVehicleHistory(deps.db, { ...input, orgId })
}

/** The points before a page that its quality is judged after, like a report's margin. */
export const QUALITY_CONTEXT_MS = 15 * 60_000

/**
 * Each point with its position `quality` as the engine judges it (`findFixQualities`): after the
 * vehicle's points of the QUALITY_CONTEXT_MS before the first one (and the others at its
 * instant), so a page's first points are judged as in the whole stream.
 */
async function addFixQualities(
  deps: DbDeps,
  params: { orgId: string; vehicleId: string; points: RawPoint[] },
): Promise<(RawPoint & { quality: FixQuality })[]> {
  const first = params.points[0]
  if (!first) return []
  const context = await findVehiclePointsSince(deps.db, {
    orgId: params.orgId,
    vehicleId: params.vehicleId,
    from: new Date(first.time.getTime() - QUALITY_CONTEXT_MS),
    to: new Date(first.time.getTime() + 1),
  })
  const asRulePoints = params.points.map((p) => ({ ...p, time: p.time.getTime() }))
  const qualities = findFixQualities(asRulePoints, context)
  return params.points.map((point, i) => ({ ...point, quality: qualities[i] ?? 'ok' }))
}

/**
 * A vehicle's raw points in [from, to), a page at a time in (time, device) order: pass each
 * answer's `nextCursor` as `cursor` until it is null. Keyset paging, so pages neither skip nor
 * repeat a point, also when several devices report the same timestamp. Points are as stored;
 * each carries its `quality` ('ok' | 'outlier' | 'invalid'): whether reports and alerts use it.
 */
export async function findOrgVehiclePointsPage(
  deps: DbDeps,
  scope: VehicleScope,
  input: TTelemetryPointsInput,
) {
  const { orgId } = scope
  const { vehicleId, from, to, limit, cursor } = input
  await orNotFound(findVehicleById(deps.db, { scope, id: vehicleId }), 'Vehicle')
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
  const points = await addFixQualities(deps, { orgId, vehicleId, points: page.points })
  return { points, nextCursor }
}
