import { READING_COLUMNS, type TelemetryInsert } from './rows.ts'

/**
 * PostgreSQL binary COPY encoding of telemetry rows, in TELEMETRY_COLUMNS order. Numbers go out
 * as IEEE bytes, with no number-to-text conversion here and no text parsing in the database: the
 * cheapest path on both ends. Column types must match the table exactly (float8/float4/uuid/...).
 */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')
/** time, org_id, device_id, vehicle_id, the readings, attributes. */
const FIELD_COUNT = 4 + READING_COLUMNS.length + 1
const FLOAT8 = 0
const FLOAT4 = 1
const BOOLEAN = 2
const TEXT = 3
const TYPE_CODES = { float8: FLOAT8, float4: FLOAT4, boolean: BOOLEAN, text: TEXT }
/** The readings' property names and type codes, in column order, as flat arrays for the hot loop. */
const READING_KEYS = READING_COLUMNS.map((reading) => reading.name)
const READING_CODES = READING_COLUMNS.map((reading) => TYPE_CODES[reading.type])
const READING_COUNT = READING_KEYS.length
/** Bytes of the fixed-size readings when all are present (text is counted per row). */
const FIXED_READING_BYTES = READING_CODES.reduce(
  (sum, code) => sum + (code === FLOAT8 ? 8 : code === FLOAT4 ? 4 : code === BOOLEAN ? 1 : 0),
  0,
)
const TEXT_KEYS = READING_KEYS.filter((_, k) => READING_CODES[k] === TEXT)
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
  let size = 2 + 4 * FIELD_COUNT + 8 + 16 * 3 + FIXED_READING_BYTES
  for (const key of TEXT_KEYS) {
    const value = row[key]
    if (typeof value === 'string') size += Buffer.byteLength(value)
  }
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
    const r = rows[i]
    if (r === undefined) throw new RangeError(`Row ${i} is outside the ${rows.length} rows given`)
    const json = r.attributes === undefined ? undefined : JSON.stringify(r.attributes)
    attributes.push(json)
    capacity += maxRowBytes(r, json)
  }
  const buf = Buffer.allocUnsafe(capacity)
  let o = 0
  const nul = () => {
    o = buf.writeInt32BE(-1, o)
  }
  const uuid = (value: string | null) => {
    if (value === null) return nul()
    o = buf.writeInt32BE(16, o)
    o += uuidBytes(value).copy(buf, o)
  }
  for (let i = from; i < to; i++) {
    const r = rows[i]
    // Checked in the sizing pass above; repeated for the type.
    if (r === undefined) throw new RangeError(`Row ${i} is outside the ${rows.length} rows given`)
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
    for (let k = 0; k < READING_COUNT; k++) {
      const key = READING_KEYS[k]
      if (key === undefined) throw new Error(`No reading column ${k}`)
      const value = r[key]
      if (value === undefined) {
        nul()
        continue
      }
      switch (READING_CODES[k]) {
        case FLOAT8:
          o = buf.writeInt32BE(8, o)
          o = buf.writeDoubleBE(value as number, o)
          break
        case FLOAT4:
          o = buf.writeInt32BE(4, o)
          o = buf.writeFloatBE(value as number, o)
          break
        case BOOLEAN:
          o = buf.writeInt32BE(1, o)
          o = buf.writeUInt8(value ? 1 : 0, o)
          break
        default: {
          const length = buf.write(value as string, o + 4, 'utf8')
          buf.writeInt32BE(length, o)
          o += 4 + length
        }
      }
    }
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
