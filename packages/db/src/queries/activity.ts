import { sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { activityDirty, telemetry } from '../schema/index.ts'
import { spanVehicles } from '../telemetry/rows.ts'
import { deleteActivityDays } from './activity-days.ts'
import { FOLD_LOCK_CLASS } from './activity-fold.ts'
import { readNumber, rowsOf } from './rows.ts'

/**
 * The refresh lock, a transaction-scoped advisory lock: a refresh of every organization (the
 * background one) holds it exclusively, a refresh of one organization (a report's) holds it shared
 * together with that organization's own lock (ORG_REFRESH_LOCK_CLASS). So no two refreshes ever
 * fold the same marks or rebuild the same vehicle at once, on any node, while reports of different
 * organizations refresh side by side. Reports storing day rows hold both shared
 * (`lockActivityFill`), so no refresh rewrites buckets while a day row is summed from them.
 */
const REFRESH_LOCK_KEY = 0x464d5341 // "FMSA"
/** First half of the two-part key of one organization's refresh lock (the second: its id hashed). */
const ORG_REFRESH_LOCK_CLASS = 0x464d534f // "FMSO"

export interface DirtySpan {
  /** The `activity_dirty` row it came from (one row lists many spans). */
  id: number
  orgId: string
  vehicleId: string
  from: number
  to: number
}

export interface ActivityBucket {
  bucket: number
  pointCount: number
  distanceKm: number
  movingDistanceKm: number
  drivingSec: number
  idleSec: number
  maxSpeed: number | null
  fuelUsedPct: number | null
  refuelledPct: number
  refuelCount: number
  tripCount: number
}

/** Sums of whole buckets over one period (e.g. a local day) for one vehicle. */
export interface ActivityTotals extends Omit<ActivityBucket, 'bucket'> {
  vehicleId: string
  /** Index of the period in the boundaries passed in. */
  period: number
}

function toMs(value: unknown): number {
  return new Date(value as string | Date).getTime()
}

function isoArray(times: readonly number[]) {
  return `{${times.map((t) => new Date(t).toISOString()).join(',')}}`
}

/**
 * Inserts points outside the ingestion writer (imports, tests, fixtures) with their activity
 * marks in the same transaction, exactly as the writer does.
 */
export async function insertTelemetry(db: Database, rows: (typeof telemetry.$inferInsert)[]) {
  if (rows.length === 0) return
  const marks = spanVehicles(
    rows.map((r) => ({ time: r.time.getTime(), orgId: r.orgId, vehicleId: r.vehicleId ?? null })),
  )
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 5000) {
      await tx.insert(telemetry).values(rows.slice(i, i + 5000))
    }
    if (marks.length === 0) return
    await tx.insert(activityDirty).values(marks.map((m) => ({ orgId: m.org_id, spans: m.spans })))
  })
}

/**
 * Takes the refresh lock for a refresh of every organization or of `orgId` alone (see
 * REFRESH_LOCK_KEY), released when the transaction ends: waits for it, or with `wait: false`
 * answers false at once when a refresh it excludes holds it (or waits for it). On the embedded
 * PGlite, one session, it is always free: that database runs one transaction at a time anyway.
 */
export async function lockActivityRefresh(
  tx: Database,
  options: { wait: boolean; orgId?: string | undefined } = { wait: true },
): Promise<boolean> {
  const { orgId, wait } = options
  const key = REFRESH_LOCK_KEY
  // The shared lock before the organization's, always: a refresh holding an organization's lock
  // never waits for the shared one, so refreshes waiting for each other cannot deadlock.
  const statements = orgId
    ? [
        wait
          ? sql`select pg_advisory_xact_lock_shared(${key})`
          : sql`select pg_try_advisory_xact_lock_shared(${key}) as locked`,
        wait
          ? sql`select pg_advisory_xact_lock(${ORG_REFRESH_LOCK_CLASS}::int, hashtext(${orgId}))`
          : sql`select pg_try_advisory_xact_lock(${ORG_REFRESH_LOCK_CLASS}::int, hashtext(${orgId})) as locked`,
      ]
    : [
        wait
          ? sql`select pg_advisory_xact_lock(${key})`
          : sql`select pg_try_advisory_xact_lock(${key}) as locked`,
      ]
  for (const statement of statements) {
    const rows = rowsOf(await tx.execute(statement))
    // A lock taken before one that was not is released with the transaction, which ends at once.
    if (!wait && rows[0]?.locked !== true) return false
  }
  return true
}

/**
 * Takes the lock under which a report stores day rows (`vehicle_activity_days`) for `orgId`, if
 * it is free now: shared with other fills, excluding any refresh of the organization (or of all)
 * and the rules engine writing its folded buckets (`FOLD_LOCK_CLASS`), until the transaction ends. A day row is summed from the buckets and inserted while it is held,
 * so no refresh can rewrite those buckets (and delete their day rows) in between and leave a
 * stale row behind. False when a refresh holds it: the report then answers from the buckets
 * without storing days, rather than wait for the refresh.
 */
export async function lockActivityFill(tx: Database, orgId: string): Promise<boolean> {
  for (const statement of [
    sql`select pg_try_advisory_xact_lock_shared(${REFRESH_LOCK_KEY}) as locked`,
    sql`select pg_try_advisory_xact_lock_shared(${ORG_REFRESH_LOCK_CLASS}::int, hashtext(${orgId})) as locked`,
    sql`select pg_try_advisory_xact_lock_shared(${FOLD_LOCK_CLASS}::int, hashtext(${orgId})) as locked`,
  ]) {
    const rows = rowsOf(await tx.execute(statement))
    if (rows[0]?.locked !== true) return false
  }
  return true
}

/**
 * No write commits later than this after its marks: the writer's statement timeout (30 s) with a
 * wide margin. Younger marks are handled and kept; older ones are handled and deleted.
 */
export const MARK_SETTLE_MS = 120_000

/**
 * The spans of the oldest `limit` mark rows still to handle (of one organization or of all):
 * those not handled yet, and those handled before they settled that have settled since.
 * `settledIds` may be deleted once handled; `youngIds` are to be marked processed.
 */
export async function findDirtySpans(
  tx: Database,
  params: { orgId?: string | undefined; limit: number },
): Promise<{ settledIds: number[]; youngIds: number[]; spans: DirtySpan[] }> {
  const org = params.orgId ? sql`and org_id = ${params.orgId}` : sql``
  const settledBefore = sql`now() - make_interval(secs => ${MARK_SETTLE_MS / 1000})`
  const rows = rowsOf(
    await tx.execute(sql`
      select id, org_id as "orgId", spans, created_at < ${settledBefore} as settled
      from activity_dirty
      where (processed_at is null or created_at < ${settledBefore}) ${org}
      order by id
      limit ${params.limit}`),
  )
  const spans: DirtySpan[] = []
  for (const row of rows) {
    const list = (typeof row.spans === 'string' ? JSON.parse(row.spans) : row.spans) as unknown[]
    for (const [vehicleId, from, to] of list as [string, number | string, number | string][]) {
      const id = Number(row.id)
      spans.push({ id, orgId: String(row.orgId), vehicleId, from: Number(from), to: Number(to) })
    }
  }
  return {
    settledIds: rows.filter((row) => row.settled === true).map((row) => Number(row.id)),
    youngIds: rows.filter((row) => row.settled !== true).map((row) => Number(row.id)),
    spans,
  }
}

/** Young marks handled: kept until they settle, then handled once more. */
export async function markSpansProcessed(tx: Database, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return
  await tx.execute(
    sql`update activity_dirty set processed_at = now() where id = any(${`{${ids.join(',')}}`}::bigint[])`,
  )
}

/** True while marks of the organization wait for a first refresh. */
export async function hasDirtySpans(db: Database, orgId: string): Promise<boolean> {
  const rows = rowsOf(
    await db.execute(
      sql`select exists (select 1 from activity_dirty where org_id = ${orgId} and processed_at is null) as x`,
    ),
  )
  return rows[0]?.x === true
}

export async function deleteDirtySpans(tx: Database, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return
  await tx.execute(
    sql`delete from activity_dirty where id = any(${`{${ids.join(',')}}`}::bigint[])`,
  )
}

/** The vehicle's last point before `from` and first point after `to` (epoch ms, or null). */
export async function findNeighbourPointTimes(
  tx: Database,
  params: { orgId: string; vehicleId: string; from: number; to: number },
): Promise<{ before: number | null; after: number | null }> {
  const [row] = rowsOf(
    await tx.execute(sql`
      select
        (select time from telemetry
          where org_id = ${params.orgId} and vehicle_id = ${params.vehicleId}
            and time < ${new Date(params.from).toISOString()}::timestamptz
          order by time desc limit 1) as before,
        (select time from telemetry
          where org_id = ${params.orgId} and vehicle_id = ${params.vehicleId}
            and time > ${new Date(params.to).toISOString()}::timestamptz
          order by time limit 1) as after`),
  )
  return {
    before: row?.before ? toMs(row.before) : null,
    after: row?.after ? toMs(row.after) : null,
  }
}

/**
 * Replaces the vehicle's buckets in [from, to) with `buckets` (rows that add nothing omitted),
 * and deletes its day rows overlapping them, which summed the old buckets.
 */
export async function replaceActivity(
  tx: Database,
  params: { orgId: string; vehicleId: string; from: number; to: number },
  buckets: readonly ActivityBucket[],
): Promise<void> {
  await deleteActivityDays(tx, params)
  await tx.execute(sql`
    delete from vehicle_activity
    where vehicle_id = ${params.vehicleId}
      and bucket >= ${new Date(params.from).toISOString()}::timestamptz
      and bucket < ${new Date(params.to).toISOString()}::timestamptz`)
  for (let i = 0; i < buckets.length; i += 2000) {
    const chunk = buckets.slice(i, i + 2000)
    await tx.execute(sql`
      insert into vehicle_activity (org_id, vehicle_id, bucket, point_count, distance_km,
        moving_distance_km, driving_sec, idle_sec, max_speed, fuel_used_pct, refuelled_pct,
        refuel_count, trip_count)
      select ${params.orgId}::uuid, ${params.vehicleId}::uuid, r.* from json_to_recordset(${JSON.stringify(
        chunk.map((b) => ({ ...b, bucket: new Date(b.bucket).toISOString() })),
      )}::json) as r(bucket timestamptz, "pointCount" int, "distanceKm" float8,
        "movingDistanceKm" float8, "drivingSec" float8, "idleSec" float8, "maxSpeed" float4,
        "fuelUsedPct" float8, "refuelledPct" float8, "refuelCount" int, "tripCount" int)`)
  }
}

/**
 * Per vehicle and period, the sums of the buckets in it. `bounds` are ascending period edges:
 * period i is [bounds[i], bounds[i + 1]). One grouped scan of the bucket table for the whole
 * request, whatever the number of vehicles or days.
 */
export async function sumActivityByPeriod(
  db: Database,
  params: { orgId: string; vehicleIds: readonly string[]; bounds: readonly number[] },
): Promise<ActivityTotals[]> {
  const first = params.bounds[0]
  const last = params.bounds[params.bounds.length - 1]
  if (params.vehicleIds.length === 0 || first === undefined || last === undefined) return []
  // Hash aggregation, whatever the statistics say: a sort of every bucket row (the plan chosen
  // right after a bulk load, before autovacuum has analyzed the table) is several times slower.
  const result = await db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_sort = off`)
    return tx.execute(sql`
      select vehicle_id as "vehicleId",
             width_bucket(bucket, ${isoArray(params.bounds)}::timestamptz[]) - 1 as period,
             sum(point_count) as "pointCount",
             sum(distance_km) as "distanceKm",
             sum(moving_distance_km) as "movingDistanceKm",
             sum(driving_sec) as "drivingSec",
             sum(idle_sec) as "idleSec",
             max(max_speed) as "maxSpeed",
             sum(fuel_used_pct) as "fuelUsedPct",
             sum(refuelled_pct) as "refuelledPct",
             sum(refuel_count) as "refuelCount",
             sum(trip_count) as "tripCount"
      from vehicle_activity
      where org_id = ${params.orgId}
        and vehicle_id = any(${`{${params.vehicleIds.join(',')}}`}::uuid[])
        and bucket >= ${new Date(first).toISOString()}::timestamptz
        and bucket < ${new Date(last).toISOString()}::timestamptz
      group by 1, 2`)
  })
  return rowsOf(result).map((row) => ({
    vehicleId: String(row.vehicleId),
    period: Number(row.period),
    pointCount: Number(row.pointCount),
    distanceKm: Number(row.distanceKm),
    movingDistanceKm: Number(row.movingDistanceKm),
    drivingSec: Number(row.drivingSec),
    idleSec: Number(row.idleSec),
    maxSpeed: readNumber(row.maxSpeed),
    fuelUsedPct: readNumber(row.fuelUsedPct),
    refuelledPct: Number(row.refuelledPct),
    refuelCount: Number(row.refuelCount),
    tripCount: Number(row.tripCount),
  }))
}

/** Per vehicle, period and kind, the number of alerts whose episode started in the period. */
export async function countAlertsByPeriod(
  db: Database,
  params: { orgId: string; vehicleIds: readonly string[]; bounds: readonly number[] },
): Promise<{ vehicleId: string; period: number; kind: string; count: number }[]> {
  const first = params.bounds[0]
  const last = params.bounds[params.bounds.length - 1]
  if (params.vehicleIds.length === 0 || first === undefined || last === undefined) return []
  const rows = rowsOf(
    await db.execute(sql`
      select vehicle_id as "vehicleId",
             width_bucket(time, ${isoArray(params.bounds)}::timestamptz[]) - 1 as period,
             kind, count(*) as count
      from alerts
      where org_id = ${params.orgId}
        and vehicle_id = any(${`{${params.vehicleIds.join(',')}}`}::uuid[])
        and time >= ${new Date(first).toISOString()}::timestamptz
        and time < ${new Date(last).toISOString()}::timestamptz
      group by 1, 2, 3`),
  )
  return rows.map((row) => ({
    vehicleId: String(row.vehicleId),
    period: Number(row.period),
    kind: String(row.kind),
    count: Number(row.count),
  }))
}
