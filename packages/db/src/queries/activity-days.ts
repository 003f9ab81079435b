import { sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import type { ActivityTotals } from './activity.ts'
import { rowsOf } from './rows.ts'

/** One local day: its UTC start and end instants (epoch ms). */
export interface DayRange {
  start: number
  end: number
}

/**
 * No calendar day lasts this long in any time zone (23, 24 or 25 hours, rarely 22 or 26): a
 * lower bound on the start of a day overlapping an instant, so a range delete walks only the
 * vehicle's nearby days in the primary key, not all of its history.
 */
export const MAX_DAY_MS = 2 * 86_400_000

/** Rows of one INSERT at most (each carries 14 values). */
const INSERT_CHUNK_ROWS = 5000

function isoArray(times: readonly number[]) {
  return `{${times.map((t) => new Date(t).toISOString()).join(',')}}`
}

/** A stored day as `findActivityDays` reads it: the columns in order, as JSON numbers. */
type StoredDay = [
  vehicleId: string,
  start: number,
  end: number,
  pointCount: number,
  distanceKm: number,
  movingDistanceKm: number,
  drivingSec: number,
  idleSec: number,
  maxSpeed: number | null,
  fuelUsedPct: number | null,
  refuelledPct: number,
  refuelCount: number,
  tripCount: number,
]

/**
 * The stored day rows of `vehicleIds` among `days`, each with the index of its day in `days`.
 * A day without a row has not been stored yet (or was invalidated): the caller sums its buckets.
 */
export async function findActivityDays(
  db: Database,
  params: { orgId: string; vehicleIds: readonly string[]; days: readonly DayRange[] },
): Promise<ActivityTotals[]> {
  if (params.vehicleIds.length === 0 || params.days.length === 0) return []
  const indexByStart = new Map(params.days.map((day, index) => [day.start, index]))
  // One JSON value for all the rows, parsed by the driver in one native `JSON.parse`: a fleet's
  // month is tens of thousands of rows of 13 columns, which row-by-row parsing took ~5x longer.
  const [answer] = rowsOf<{ days: StoredDay[] | string | null }>(
    await db.execute(sql`
      select json_agg(json_build_array(vehicle_id,
               (extract(epoch from day_start) * 1000)::float8,
               (extract(epoch from day_end) * 1000)::float8,
               point_count, distance_km, moving_distance_km, driving_sec, idle_sec, max_speed,
               fuel_used_pct, refuelled_pct, refuel_count, trip_count)) as days
      from vehicle_activity_days
      where org_id = ${params.orgId}
        and vehicle_id = any(${`{${params.vehicleIds.join(',')}}`}::uuid[])
        and day_start = any(${isoArray(params.days.map((d) => d.start))}::timestamptz[])`),
  )
  const rows =
    typeof answer?.days === 'string' ? (JSON.parse(answer.days) as StoredDay[]) : answer?.days
  const found: ActivityTotals[] = []
  for (const row of rows ?? []) {
    const [vehicleId, start, end, pointCount, distanceKm, movingDistanceKm, drivingSec, idleSec] =
      row
    const period = indexByStart.get(start)
    // The same start in another time zone can end elsewhere: that row is another day.
    if (period === undefined || params.days[period]?.end !== end) continue
    found.push({
      vehicleId,
      period,
      pointCount,
      distanceKm,
      movingDistanceKm,
      drivingSec,
      idleSec,
      maxSpeed: row[8],
      fuelUsedPct: row[9],
      refuelledPct: row[10],
      refuelCount: row[11],
      tripCount: row[12],
    })
  }
  return found
}

/**
 * Stores day rows as computed from the buckets. Another node may have stored the same day
 * meanwhile, from the same buckets (see `lockActivityFill`): the row already there is kept.
 */
export async function insertActivityDays(
  tx: Database,
  params: { orgId: string; rows: readonly (Omit<ActivityTotals, 'period'> & DayRange)[] },
): Promise<void> {
  for (let i = 0; i < params.rows.length; i += INSERT_CHUNK_ROWS) {
    const chunk = params.rows.slice(i, i + INSERT_CHUNK_ROWS)
    await tx.execute(sql`
      insert into vehicle_activity_days (org_id, vehicle_id, day_start, day_end, point_count,
        distance_km, moving_distance_km, driving_sec, idle_sec, max_speed, fuel_used_pct,
        refuelled_pct, refuel_count, trip_count)
      select ${params.orgId}::uuid, r."vehicleId", r.start, r.end, r."pointCount", r."distanceKm",
        r."movingDistanceKm", r."drivingSec", r."idleSec", r."maxSpeed", r."fuelUsedPct",
        r."refuelledPct", r."refuelCount", r."tripCount"
      from json_to_recordset(${JSON.stringify(
        chunk.map((row) => ({
          ...row,
          start: new Date(row.start).toISOString(),
          end: new Date(row.end).toISOString(),
        })),
      )}::json) as r("vehicleId" uuid, start timestamptz, "end" timestamptz, "pointCount" int,
        "distanceKm" float8, "movingDistanceKm" float8, "drivingSec" float8, "idleSec" float8,
        "maxSpeed" float4, "fuelUsedPct" float8, "refuelledPct" float8, "refuelCount" int,
        "tripCount" int)
      on conflict do nothing`)
  }
}

/**
 * Deletes the vehicle's day rows overlapping [from, to): their buckets are being rewritten. Runs
 * in the rewrite's transaction, so no report ever sees a day row that disagrees with its buckets.
 */
export async function deleteActivityDays(
  tx: Database,
  params: { vehicleId: string; from: number; to: number },
): Promise<void> {
  await tx.execute(sql`
    delete from vehicle_activity_days
    where vehicle_id = ${params.vehicleId}
      and day_start > ${new Date(params.from - MAX_DAY_MS).toISOString()}::timestamptz
      and day_start < ${new Date(params.to).toISOString()}::timestamptz
      and day_end > ${new Date(params.from).toISOString()}::timestamptz`)
}
