import type { Database } from '@fms/db'
import { inArray } from '@fms/db'
import { telemetry } from '@fms/db/schema'
import { TEST_METRICS_TOKEN } from '@fms/testkit'

/** Every stored point of these devices as `device@epochMs`, with how often each is stored. */
export async function storedPointCounts(
  db: Database,
  deviceIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await db
    .select({ deviceId: telemetry.deviceId, time: telemetry.time })
    .from(telemetry)
    .where(inArray(telemetry.deviceId, [...deviceIds]))
  const counts = new Map<string, number>()
  for (const row of rows) {
    const key = `${row.deviceId}@${row.time.getTime()}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

/** Current value of one Prometheus sample, e.g. `fms_ingest_points_total{result="accepted"}`. */
export async function readMetric(url: string, sample: string): Promise<number> {
  const response = await fetch(`${url}/metrics`, {
    headers: { Authorization: `Bearer ${TEST_METRICS_TOKEN}` },
    signal: AbortSignal.timeout(5000),
  })
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`)
  const text = await response.text()
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `))
  return line ? Number(line.slice(sample.length + 1)) : 0
}
