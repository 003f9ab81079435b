import type { TelemetryInsert } from './rows.ts'

/**
 * PostgreSQL binary COPY encoding of telemetry rows, in TELEMETRY_COLUMNS order. Numbers go out
 * as IEEE bytes, with no number-to-text conversion here and no text parsing in the database: the
 * cheapest path on both ends. Column types must match the table exactly (float8/float4/uuid/...).
 */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')
const FIELD_COUNT = 19
/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01 UTC), in milliseconds. */
const PG_EPOCH_MS = 946_684_800_000
const TWO_32 = 2 ** 32

/** Header: signature, flags, header-extension length. */
export function copyBinaryHeader(): Buffer {
  const header = Buffer.alloc(SIGNATURE.length + 8)
  SIGNATURE.copy(header, 0)
  return header
}

/** Trailer: a field count of -1. */
export function copyBinaryTrailer(): Buffer {
  const trailer = Buffer.alloc(2)
  trailer.writeInt16BE(-1, 0)
  return trailer
}

const uuidCache = new Map<string, Buffer>()

function uuidBytes(uuid: string): Buffer {
  let bytes = uuidCache.get(uuid)
  if (!bytes) {
    bytes = Buffer.from(uuid.replace(/-/g, ''), 'hex')
    if (bytes.length !== 16) throw new Error(`invalid uuid ${uuid}`)
    if (uuidCache.size > 100_000) uuidCache.clear()
    uuidCache.set(uuid, bytes)
  }
  return bytes
}

/** Upper bound of one row's size, for one allocation per chunk. */
function maxRowBytes(row: TelemetryInsert, attributes: string | undefined): number {
  let size = 2 + 4 * FIELD_COUNT + 8 + 16 * 3 + 8 * 3 + 4 * 8 + 1
  if (row.status !== undefined) size += Buffer.byteLength(row.status)
  if (row.swVersion !== undefined) size += Buffer.byteLength(row.swVersion)
  if (row.hwVersion !== undefined) size += Buffer.byteLength(row.hwVersion)
  if (attributes !== undefined) size += 1 + Buffer.byteLength(attributes)
  return size
}

/** Encodes rows[from, to) as binary COPY tuples (no header or trailer). */
export function encodeCopyBinaryRows(
  rows: readonly TelemetryInsert[],
  from = 0,
  to = rows.length,
): Buffer {
  let capacity = 0
  const attributes: (string | undefined)[] = []
  for (let i = from; i < to; i++) {
    const json = rows[i]!.attributes === undefined ? undefined : JSON.stringify(rows[i]!.attributes)
    attributes.push(json)
    capacity += maxRowBytes(rows[i]!, json)
  }
  const buf = Buffer.allocUnsafe(capacity)
  let o = 0
  const nul = () => {
    o = buf.writeInt32BE(-1, o)
  }
  const f8 = (value: number | undefined) => {
    if (value === undefined) return nul()
    o = buf.writeInt32BE(8, o)
    o = buf.writeDoubleBE(value, o)
  }
  const f4 = (value: number | undefined) => {
    if (value === undefined) return nul()
    o = buf.writeInt32BE(4, o)
    o = buf.writeFloatBE(value, o)
  }
  const uuid = (value: string | null) => {
    if (value === null) return nul()
    o = buf.writeInt32BE(16, o)
    o += uuidBytes(value).copy(buf, o)
  }
  const text = (value: string | undefined) => {
    if (value === undefined) return nul()
    const length = buf.write(value, o + 4, 'utf8')
    buf.writeInt32BE(length, o)
    o += 4 + length
  }
  for (let i = from; i < to; i++) {
    const r = rows[i]!
    o = buf.writeInt16BE(FIELD_COUNT, o)
    // timestamptz: int64 microseconds since 2000-01-01, written as two 32-bit halves.
    const micros = (r.time - PG_EPOCH_MS) * 1000
    const high = Math.floor(micros / TWO_32)
    o = buf.writeInt32BE(8, o)
    o = buf.writeInt32BE(high, o)
    o = buf.writeUInt32BE(micros - high * TWO_32, o)
    uuid(r.orgId)
    uuid(r.deviceId)
    uuid(r.vehicleId)
    f8(r.lat)
    f8(r.lon)
    f4(r.speed)
    f4(r.heading)
    f4(r.altitude)
    f4(r.rpm)
    f4(r.fuel)
    f4(r.engineLoad)
    f4(r.coolantTemp)
    f8(r.odometer)
    if (r.ignition === undefined) nul()
    else {
      o = buf.writeInt32BE(1, o)
      o = buf.writeUInt8(r.ignition ? 1 : 0, o)
    }
    text(r.status)
    text(r.swVersion)
    text(r.hwVersion)
    // jsonb: a version byte (1), then the JSON text.
    const json = attributes[i - from]
    if (json === undefined) nul()
    else {
      const length = buf.write(json, o + 5, 'utf8')
      buf.writeInt32BE(length + 1, o)
      buf.writeUInt8(1, o + 4)
      o += 5 + length
    }
  }
  return buf.subarray(0, o)
}
