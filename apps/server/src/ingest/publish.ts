import type { TelemetryInsert } from '@fms/db/telemetry'
import type { LiveHub, LivePoint } from '@fms/live'
import { errorFields, logger } from '../logger.ts'

/** Publishes a committed batch on the live path, one message per organization. */
export function publishCommitted(live: LiveHub, rows: readonly TelemetryInsert[]): void {
  const byOrg = new Map<string, LivePoint[]>()
  for (const row of rows) {
    let points = byOrg.get(row.orgId)
    if (!points) {
      points = []
      byOrg.set(row.orgId, points)
    }
    points.push(toLivePoint(row))
  }
  for (const [orgId, points] of byOrg) {
    live.publish({ orgId, kind: 'points', points }).catch((error: unknown) => {
      // The points are committed; live subscribers catch up from `telemetry.latest`.
      logger.warn('live publish failed', errorFields(error))
    })
  }
}

function toLivePoint(row: TelemetryInsert): LivePoint {
  return {
    vehicleId: row.vehicleId,
    deviceId: row.deviceId,
    time: row.time,
    lat: row.lat ?? null,
    lon: row.lon ?? null,
    speed: row.speed ?? null,
    heading: row.heading ?? null,
    rpm: row.rpm ?? null,
    fuel: row.fuel ?? null,
    coolantTemp: row.coolantTemp ?? null,
    engineLoad: row.engineLoad ?? null,
    odometer: row.odometer ?? null,
    ignition: row.ignition ?? null,
    status: row.status ?? null,
  }
}
