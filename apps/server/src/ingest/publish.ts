import type { TelemetryInsert } from '@fms/db/telemetry'
import { fixedShape, LIVE_READING_NAMES } from '@fms/engine'
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

const newLivePoint = fixedShape(['vehicleId', 'deviceId', 'time', ...LIVE_READING_NAMES])

function toLivePoint(row: TelemetryInsert): LivePoint {
  const point: Record<string, unknown> = newLivePoint()
  point.vehicleId = row.vehicleId
  point.deviceId = row.deviceId
  point.time = row.time
  for (const name of LIVE_READING_NAMES) point[name] = row[name] ?? null
  return point as unknown as LivePoint
}
