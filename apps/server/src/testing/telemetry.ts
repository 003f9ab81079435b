import type { Database } from '@fms/db'
import { inArray } from '@fms/db'
import { telemetry } from '@fms/db/schema'
import { TEST_METRICS_TOKEN } from './server.ts'

/** One point in the device wire format (snake_case). */
export type WirePoint = Record<string, unknown>

export interface IngestAnswer {
  status: number
  headers: Headers
  /** Parsed JSON body (or the raw text when it is not JSON). */
  body: unknown
  text: string
  /** Round-trip time in milliseconds. */
  ms: number
}

export interface PostOptions {
  /** Sent as `Authorization: Bearer <token>` when given. */
  token?: string | undefined
  /** An object/array is sent as JSON; a string or bytes as they are. */
  body: unknown
  contentType?: string
  headers?: Record<string, string>
  method?: string
  /** Path and query, default `/api/telemetry`. */
  path?: string
  /** The request is aborted after this long, so a hang fails instead of stalling the test. */
  timeoutMs?: number
}

/** `POST /api/telemetry` (by default) and the answer, read in full. */
export async function postTelemetry(url: string, options: PostOptions): Promise<IngestAnswer> {
  const body =
    typeof options.body === 'string' || options.body instanceof Uint8Array
      ? options.body
      : JSON.stringify(options.body)
  const started = performance.now()
  const res = await fetch(`${url}${options.path ?? '/api/telemetry'}`, {
    method: options.method ?? 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.method === 'GET' || options.method === 'HEAD' ? {} : { body }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {}
  return {
    status: res.status,
    headers: res.headers,
    body: parsed,
    text,
    ms: performance.now() - started,
  }
}

// Distinct times for every point this process makes: a point is unique on (device_id, time).
let clock = Date.now() - 86_400_000

/** `count` points for one device with times no other call of this process uses. */
export function makePoints(deviceId: string | undefined, count: number): WirePoint[] {
  return Array.from({ length: count }, (_, i) => {
    clock += 1
    return {
      ...(deviceId ? { device_id: deviceId } : {}),
      time: new Date(clock).toISOString(),
      lat: 52.5 + (i % 100) / 1e4,
      lon: 13.4,
      speed: i % 120,
      ignition: true,
    }
  })
}

/** The identity of a wire point, in the form the stored-row query returns. */
export function wireKey(point: WirePoint): string {
  const time = typeof point.time === 'number' ? point.time : Date.parse(String(point.time))
  return `${String(point.device_id)}@${time}`
}

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
