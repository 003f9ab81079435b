import {
  type OptionalReading,
  READING_NAMES,
  READINGS,
  type ReadingName,
  type ReadingType,
} from '@fms/engine'
import type { ActivitySpan } from '../schema/activity.ts'

/** A telemetry row as the writer takes it: validated, resolved to its org/device/vehicle. */
export interface TelemetryInsert extends OptionalReading {
  /** Epoch milliseconds. */
  time: number
  orgId: string
  deviceId: string
  vehicleId: string | null
  attributes?: Record<string, string | number | boolean | null> | undefined
}

/** The readings in column order, with their column names and types: the encoders loop over it. */
export const READING_COLUMNS: readonly { name: ReadingName; column: string; type: ReadingType }[] =
  READING_NAMES.map((name) => ({ name, column: READINGS[name].column, type: READINGS[name].type }))

/** Column order shared by the COPY text, COPY binary and JSON recordset paths. */
export const TELEMETRY_COLUMNS: readonly string[] = [
  'time',
  'org_id',
  'device_id',
  'vehicle_id',
  ...READING_COLUMNS.map((reading) => reading.column),
  'attributes',
]

/** `json_to_recordset`'s column definitions, in TELEMETRY_COLUMNS order. */
export const TELEMETRY_RECORD_TYPES = [
  'time timestamptz',
  'org_id uuid',
  'device_id uuid',
  'vehicle_id uuid',
  ...READING_COLUMNS.map((reading) => `${reading.column} ${reading.type}`),
  'attributes jsonb',
].join(', ')

/** The identity of a point: unique on (device_id, time). */
export function pointKey(deviceId: string, timeMs: number): string {
  return `${deviceId}@${timeMs}`
}

const NULL = '\\N'

function text(value: string | undefined): string {
  if (value === undefined) return NULL
  // COPY text format: escape backslash, and the tab/newline/CR that delimit fields and rows.
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
      )
    : value
}

function copyText(value: number | boolean | string | undefined): string {
  if (value === undefined) return NULL
  if (typeof value === 'boolean') return value ? 't' : 'f'
  return typeof value === 'number' ? String(value) : text(value)
}

/** Encodes rows to PostgreSQL COPY text, in TELEMETRY_COLUMNS order. Hot path: plain concatenation. */
export function encodeCopyRows(
  rows: readonly TelemetryInsert[],
  from = 0,
  to = rows.length,
): string {
  let out = ''
  for (let i = from; i < to; i++) {
    const r = rows[i]
    if (r === undefined) throw new RangeError(`Row ${i} is outside the ${rows.length} rows given`)
    out += `${new Date(r.time).toISOString()}\t${r.orgId}\t${r.deviceId}\t${r.vehicleId ?? NULL}\t`
    for (const reading of READING_COLUMNS) out += `${copyText(r[reading.name])}\t`
    out += `${r.attributes === undefined ? NULL : text(JSON.stringify(r.attributes))}\n`
  }
  return out
}

/** Rows as a JSON array for `json_to_recordset` (the set-based insert path), keyed by column. */
export function encodeJsonRows(rows: readonly TelemetryInsert[]): string {
  return JSON.stringify(
    rows.map((r) => {
      const record: Record<string, unknown> = {
        time: new Date(r.time).toISOString(),
        org_id: r.orgId,
        device_id: r.deviceId,
        vehicle_id: r.vehicleId,
      }
      for (const reading of READING_COLUMNS) record[reading.column] = r[reading.name] ?? null
      record.attributes = r.attributes ?? null
      return record
    }),
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
    const span = list[i]
    if (span === undefined) throw new Error(`Span list has a hole at ${i}`)
    if (time >= span[1] - SPAN_MAX_GAP_MS && time <= span[2] + SPAN_MAX_GAP_MS) return span
  }
  return undefined
}
