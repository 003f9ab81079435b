import { sql } from 'drizzle-orm'
import type { Database } from '../client.ts'

export interface LatestVehicleState {
  vehicleId: string
  code: string
  plate: string | null
  status: string
  deviceId: string | null
  time: Date | null
  lat: number | null
  lon: number | null
  speed: number | null
  heading: number | null
  rpm: number | null
  fuel: number | null
  coolantTemp: number | null
  engineLoad: number | null
  odometer: number | null
  ignition: boolean | null
  pointStatus: string | null
}

/**
 * Every vehicle of the organization with its last known point: one index probe per vehicle on
 * (vehicle_id, time desc), which stays fast on a hypertable with many chunks.
 */
export async function findLatestVehicleStates(
  db: Database,
  orgId: string,
): Promise<LatestVehicleState[]> {
  const result = await db.execute(sql`
    select v.id as "vehicleId", v.code, v.plate, v.status,
           t.device_id as "deviceId", t.time, t.lat, t.lon, t.speed, t.heading, t.rpm, t.fuel,
           t.coolant_temp as "coolantTemp", t.engine_load as "engineLoad", t.odometer, t.ignition,
           t.status as "pointStatus"
    from vehicles v
    left join lateral (
      select * from telemetry
      where telemetry.vehicle_id = v.id and telemetry.org_id = ${orgId}
      order by telemetry.time desc
      limit 1
    ) t on true
    where v.org_id = ${orgId}
    order by v.code`)
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
    string,
    unknown
  >[]
  return rows.map((row) => ({
    ...(row as unknown as LatestVehicleState),
    time: row.time === null ? null : new Date(row.time as string | Date),
    odometer: row.odometer === null ? null : Number(row.odometer),
  }))
}
