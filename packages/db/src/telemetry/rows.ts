import type { ActivitySpan } from '../schema/activity.ts'

/** A telemetry row as the writer takes it: validated, resolved to its org/device/vehicle. */
export interface TelemetryInsert {
  /** Epoch milliseconds. */
  time: number
  orgId: string
  deviceId: string
  vehicleId: string | null
  lat?: number | undefined
  lon?: number | undefined
  speed?: number | undefined
  heading?: number | undefined
  altitude?: number | undefined
  rpm?: number | undefined
  fuel?: number | undefined
  engineLoad?: number | undefined
  coolantTemp?: number | undefined
  odometer?: number | undefined
  ignition?: boolean | undefined
  status?: string | undefined
  swVersion?: string | undefined
  hwVersion?: string | undefined
  attributes?: Record<string, string | number | boolean | null> | undefined
}

/** Column order shared by the COPY text and the JSON recordset paths. */
export const TELEMETRY_COLUMNS = [
  'time',
  'org_id',
  'device_id',
  'vehicle_id',
  'lat',
  'lon',
  'speed',
  'heading',
  'altitude',
  'rpm',
  'fuel',
  'engine_load',
  'coolant_temp',
  'odometer',
  'ignition',
  'status',
  'sw_version',
  'hw_version',
  'attributes',
] as const

/** The identity of a point: unique on (device_id, time). */
export function pointKey(deviceId: string, timeMs: number): string {
  return `${deviceId}@${timeMs}`
}

const NULL = '\\N'

function num(value: number | undefined): string {
  return value === undefined ? NULL : String(value)
}

function text(value: string | undefined): string {
  if (value === undefined) return NULL
  // COPY text format: escape backslash, and the tab/newline/CR that delimit fields and rows.
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
      )
    : value
}

/** Encodes rows to PostgreSQL COPY text, in TELEMETRY_COLUMNS order. Hot path: plain concatenation. */
export function encodeCopyRows(
  rows: readonly TelemetryInsert[],
  from = 0,
  to = rows.length,
): string {
  let out = ''
  for (let i = from; i < to; i++) {
    const r = rows[i]!
    out +=
      `${new Date(r.time).toISOString()}\t${r.orgId}\t${r.deviceId}\t${r.vehicleId ?? NULL}\t` +
      `${num(r.lat)}\t${num(r.lon)}\t${num(r.speed)}\t${num(r.heading)}\t${num(r.altitude)}\t` +
      `${num(r.rpm)}\t${num(r.fuel)}\t${num(r.engineLoad)}\t${num(r.coolantTemp)}\t${num(r.odometer)}\t` +
      `${r.ignition === undefined ? NULL : r.ignition ? 't' : 'f'}\t${text(r.status)}\t` +
      `${text(r.swVersion)}\t${text(r.hwVersion)}\t` +
      `${r.attributes === undefined ? NULL : text(JSON.stringify(r.attributes))}\n`
  }
  return out
}

/** Rows as a JSON array for `json_to_recordset` (the set-based insert path). */
export function encodeJsonRows(rows: readonly TelemetryInsert[]): string {
  return JSON.stringify(
    rows.map((r) => ({
      time: new Date(r.time).toISOString(),
      org_id: r.orgId,
      device_id: r.deviceId,
      vehicle_id: r.vehicleId,
      lat: r.lat ?? null,
      lon: r.lon ?? null,
      speed: r.speed ?? null,
      heading: r.heading ?? null,
      altitude: r.altitude ?? null,
      rpm: r.rpm ?? null,
      fuel: r.fuel ?? null,
      engine_load: r.engineLoad ?? null,
      coolant_temp: r.coolantTemp ?? null,
      odometer: r.odometer ?? null,
      ignition: r.ignition ?? null,
      status: r.status ?? null,
      sw_version: r.swVersion ?? null,
      hw_version: r.hwVersion ?? null,
      attributes: r.attributes ?? null,
    })),
  )
}

/**
 * Points of one vehicle further apart than this get separate spans: a request with a year-old
 * point and a current one must not make the refresher re-read the year in between.
 */
export const SPAN_MAX_GAP_MS = 3_600_000

/**
 * The activity invalidation marks of a batch: per organization, each vehicle's time spans of
 * new points, split where they are more than SPAN_MAX_GAP_MS apart (see `activity_dirty`).
 * Linear for points in time order, the usual case.
 */
export function spanVehicles(
  rows: readonly { time: number; orgId: string; vehicleId: string | null }[],
): { org_id: string; spans: ActivitySpan[] }[] {
  const byVehicle = new Map<string, ActivitySpan[]>()
  const byOrg = new Map<string, ActivitySpan[]>()
  for (const row of rows) {
    if (row.vehicleId === null) continue
    let list = byVehicle.get(row.vehicleId)
    if (!list) {
      list = []
      byVehicle.set(row.vehicleId, list)
    }
    const near = findNearSpan(list, row.time)
    if (near) {
      if (row.time < near[1]) near[1] = row.time
      if (row.time > near[2]) near[2] = row.time
      continue
    }
    const created: ActivitySpan = [row.vehicleId, row.time, row.time]
    list.push(created)
    const orgSpans = byOrg.get(row.orgId)
    if (orgSpans) orgSpans.push(created)
    else byOrg.set(row.orgId, [created])
  }
  return [...byOrg].map(([orgId, list]) => ({ org_id: orgId, spans: list }))
}

/** The span `time` extends without a gap over SPAN_MAX_GAP_MS, newest first (the usual hit). */
function findNearSpan(list: ActivitySpan[], time: number): ActivitySpan | undefined {
  for (let i = list.length - 1; i >= 0; i--) {
    const span = list[i]!
    if (time >= span[1] - SPAN_MAX_GAP_MS && time <= span[2] + SPAN_MAX_GAP_MS) return span
  }
  return undefined
}
