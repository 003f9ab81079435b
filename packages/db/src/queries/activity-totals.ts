import { sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { readNumber, rowsOf } from './rows.ts'

/*
 * An organization's activity over [from, to) for its current vehicles, without listing them:
 * what a fleet overview needs however many vehicles there are. Whole 15-minute buckets, as
 * `sumActivityByPeriod` adds them, so a local day gives the same figures as the daily report.
 */

interface TOrgPeriod {
  orgId: string
  from: number
  to: number
}

export interface OrgActivityTotals {
  distanceKm: number
  drivingSec: number
  idleSec: number
  tripCount: number
  /** Vehicles with at least one point in the period. */
  reportingVehicleCount: number
}

/** The activity buckets of the organization's vehicles in the period (removed vehicles left out). */
function periodBuckets(params: TOrgPeriod) {
  return sql`
    from vehicle_activity a
    join vehicles v on v.id = a.vehicle_id and v.org_id = a.org_id
    where a.org_id = ${params.orgId}
      and a.bucket >= ${new Date(params.from).toISOString()}::timestamptz
      and a.bucket < ${new Date(params.to).toISOString()}::timestamptz`
}

/** The organization's totals over the period (zeros when nothing moved or reported). */
export async function sumOrgActivity(db: Database, params: TOrgPeriod): Promise<OrgActivityTotals> {
  const [row] = rowsOf(
    await db.execute(sql`
      select coalesce(sum(a.distance_km), 0) as "distanceKm",
             coalesce(sum(a.driving_sec), 0) as "drivingSec",
             coalesce(sum(a.idle_sec), 0) as "idleSec",
             coalesce(sum(a.trip_count), 0) as "tripCount",
             count(distinct a.vehicle_id) filter (where a.point_count > 0) as "reportingVehicleCount"
      ${periodBuckets(params)}`),
  )
  return {
    distanceKm: Number(row?.distanceKm ?? 0),
    drivingSec: Number(row?.drivingSec ?? 0),
    idleSec: Number(row?.idleSec ?? 0),
    tripCount: Number(row?.tripCount ?? 0),
    reportingVehicleCount: Number(row?.reportingVehicleCount ?? 0),
  }
}

export interface VehicleDistance {
  vehicleId: string
  vehicleCode: string
  distanceKm: number
  drivingSec: number
  maxSpeed: number | null
}

/** The `limit` vehicles that covered the most distance in the period (any at all), farthest first. */
export async function findTopVehiclesByDistance(
  db: Database,
  params: TOrgPeriod & { limit: number },
): Promise<VehicleDistance[]> {
  if (params.limit <= 0) return []
  const rows = rowsOf(
    await db.execute(sql`
      select a.vehicle_id as "vehicleId", v.code as "vehicleCode",
             sum(a.distance_km) as "distanceKm", sum(a.driving_sec) as "drivingSec",
             max(a.max_speed) as "maxSpeed"
      ${periodBuckets(params)}
      group by a.vehicle_id, v.code
      having sum(a.distance_km) > 0
      order by sum(a.distance_km) desc, v.code
      limit ${params.limit}`),
  )
  return rows.map((row) => ({
    vehicleId: String(row.vehicleId),
    vehicleCode: String(row.vehicleCode),
    distanceKm: Number(row.distanceKm),
    drivingSec: Number(row.drivingSec),
    maxSpeed: readNumber(row.maxSpeed),
  }))
}
