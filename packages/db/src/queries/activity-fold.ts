import { sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { ACTIVITY_BUCKET_MS, type ActivitySpan } from '../schema/index.ts'
import type { ActivityBucket } from './activity.ts'
import { MAX_DAY_MS } from './activity-days.ts'
import { rowsOf } from './rows.ts'

/**
 * First half of the two-part key of an organization's fold lock (the second: its id hashed): the
 * rules engine holds it while it writes the organization's folded buckets and deletes the day
 * rows over them, and a report storing day rows tries it shared (`lockActivityFill`), so no day
 * row is summed from buckets a fold is rewriting.
 */
export const FOLD_LOCK_CLASS = 0x464d5346 // "FMSF"

/** One vehicle's folded buckets: each replaces what is stored for its bucket. */
export interface FoldedVehicleBuckets {
  orgId: string
  vehicleId: string
  buckets: readonly ActivityBucket[]
}

/** Rows of one statement at most (each bucket carries 13 values). */
const CHUNK_ROWS = 5000

/**
 * Writes buckets folded by the rules engine (whole, replacing the stored ones) and deletes the day
 * rows over them, which summed the old ones: one statement each for the whole turn, under the
 * organizations' fold locks (taken in one order, so two nodes' turns never deadlock).
 */
export async function writeFoldedActivity(
  tx: Database,
  vehicles: readonly FoldedVehicleBuckets[],
): Promise<void> {
  const withBuckets = vehicles.filter((v) => v.buckets.length > 0)
  if (withBuckets.length === 0) return
  const orgIds = [...new Set(withBuckets.map((v) => v.orgId))].sort()
  await tx.execute(sql`
    select pg_advisory_xact_lock(${FOLD_LOCK_CLASS}::int, hashtext(o))
    from unnest(${`{${orgIds.join(',')}}`}::text[]) with ordinality as t(o, n) order by n`)
  const ranges = withBuckets.map((v) => ({
    vehicleId: v.vehicleId,
    from: new Date(Math.min(...v.buckets.map((b) => b.bucket))).toISOString(),
    to: new Date(Math.max(...v.buckets.map((b) => b.bucket)) + ACTIVITY_BUCKET_MS).toISOString(),
    lowest: new Date(Math.min(...v.buckets.map((b) => b.bucket)) - MAX_DAY_MS).toISOString(),
  }))
  await tx.execute(sql`
    delete from vehicle_activity_days d
    using json_to_recordset(${JSON.stringify(ranges)}::json)
      as r("vehicleId" uuid, "from" timestamptz, "to" timestamptz, lowest timestamptz)
    where d.vehicle_id = r."vehicleId" and d.day_start > r.lowest and d.day_start < r."to"
      and d.day_end > r."from"`)
  const rows = withBuckets.flatMap((v) =>
    v.buckets.map((b) => ({
      ...b,
      orgId: v.orgId,
      vehicleId: v.vehicleId,
      bucket: new Date(b.bucket).toISOString(),
    })),
  )
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    await tx.execute(sql`
      insert into vehicle_activity (org_id, vehicle_id, bucket, point_count, distance_km,
        moving_distance_km, driving_sec, idle_sec, max_speed, fuel_used_pct, refuelled_pct,
        refuel_count, trip_count)
      select r.* from json_to_recordset(${JSON.stringify(rows.slice(i, i + CHUNK_ROWS))}::json)
        as r("orgId" uuid, "vehicleId" uuid, bucket timestamptz, "pointCount" int,
        "distanceKm" float8, "movingDistanceKm" float8, "drivingSec" float8, "idleSec" float8,
        "maxSpeed" float4, "fuelUsedPct" float8, "refuelledPct" float8, "refuelCount" int,
        "tripCount" int)
      on conflict (vehicle_id, bucket) do update set
        point_count = excluded.point_count, distance_km = excluded.distance_km,
        moving_distance_km = excluded.moving_distance_km, driving_sec = excluded.driving_sec,
        idle_sec = excluded.idle_sec, max_speed = excluded.max_speed,
        fuel_used_pct = excluded.fuel_used_pct, refuelled_pct = excluded.refuelled_pct,
        refuel_count = excluded.refuel_count, trip_count = excluded.trip_count`)
  }
}

/** Spans the refresher is to rebuild (a fold's repairs), one mark row per organization. */
export async function insertActivityMarks(
  tx: Database,
  spans: readonly { orgId: string; span: ActivitySpan }[],
): Promise<void> {
  const byOrg = new Map<string, ActivitySpan[]>()
  for (const { orgId, span } of spans) {
    const list = byOrg.get(orgId)
    if (list) list.push(span)
    else byOrg.set(orgId, [span])
  }
  if (byOrg.size === 0) return
  await tx.execute(sql`
    insert into activity_dirty (org_id, spans)
    select r.org_id, r.spans from json_to_recordset(${JSON.stringify(
      [...byOrg].map(([orgId, list]) => ({ org_id: orgId, spans: list })),
    )}::json) as r(org_id uuid, spans jsonb)`)
}

/**
 * The first bucket the vehicle's fold writes (epoch ms), or null without a fold: the refresher
 * rebuilds only the buckets before it.
 */
export async function findFoldOwnedFrom(tx: Database, vehicleId: string): Promise<number | null> {
  const [row] = rowsOf(
    await tx.execute(sql`
      select (activity->>'ownedFrom')::float8 as "ownedFrom"
      from vehicle_rule_state where vehicle_id = ${vehicleId}`),
  )
  const value = row?.ownedFrom
  return value === null || value === undefined ? null : Number(value)
}

/**
 * The newest outbox row holding points of the organization (null: none waits): its points are
 * folded once no row up to it is left (`hasOutboxRowsUpTo`). The outbox is a queue (rows wait
 * only as long as the rules engine lags), so scanning it is cheap.
 */
export async function findOutboxWatermark(db: Database, orgId: string): Promise<number | null> {
  const [row] = rowsOf(
    await db.execute(sql`
      select max(o.id)::text as id from rule_outbox o
      where exists (select 1 from jsonb_array_elements(o.spans) s where s->>1 = ${orgId})`),
  )
  return row?.id === null || row?.id === undefined ? null : Number(row.id)
}

/** Whether outbox rows of the organization up to `id` still wait for the rules engine. */
export async function hasOutboxRowsUpTo(db: Database, orgId: string, id: number): Promise<boolean> {
  const [row] = rowsOf(
    await db.execute(sql`
      select exists (
        select 1 from rule_outbox o
        where o.id <= ${id}
          and exists (select 1 from jsonb_array_elements(o.spans) s where s->>1 = ${orgId})
      ) as x`),
  )
  return row?.x === true
}
