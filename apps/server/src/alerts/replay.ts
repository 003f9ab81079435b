import { toAlertEvent } from '@fms/api'
import type { Database } from '@fms/db'
import { findVehicleAlerts } from '@fms/db/queries/alerts'
import { findVehiclePointsSince } from '@fms/db/queries/telemetry'
import { findReplayStart, type LiveVehicle, type RuleContext, replayVehicle } from '@fms/engine'

/**
 * How far back a replay reaches when the late point is older than every checkpoint (the vehicle
 * was just loaded, or the point is hours late): a cold start this long before the point.
 */
export const FULL_REPLAY_WINDOW_MS = 24 * 3_600_000

/**
 * The README's replay for a late point at `from`: reload the vehicle's stored points after the
 * checkpoint before it, and its stored alerts emitted after it, and re-evaluate.
 */
export async function replayFromStore(
  db: Database,
  params: {
    orgId: string
    live: LiveVehicle
    from: number
    ctx: RuleContext
    now: number
    /** Stored points from this time on are left out (not yet consumed: still in the outbox). */
    until?: number | undefined
  },
) {
  const { orgId, live, from, ctx } = params
  const vehicleId = ctx.vehicleId
  const { since } = findReplayStart(live, from)
  const loadFrom = new Date(since ?? from - FULL_REPLAY_WINDOW_MS)
  const to = params.until === undefined ? undefined : new Date(params.until)
  const points = await findVehiclePointsSince(db, { orgId, vehicleId, from: loadFrom, to })
  // Without a checkpoint, only episodes starting inside the window may be retracted.
  const previous = await findVehicleAlerts(
    db,
    since === null
      ? { orgId, vehicleId, from: loadFrom }
      : { orgId, vehicleId, emittedAfter: loadFrom },
  )
  // With `since` null, replayVehicle starts cold: the window's points only.
  return replayVehicle({
    live,
    from,
    points,
    previous: previous.map(toAlertEvent),
    ctx,
    now: params.now,
  })
}
