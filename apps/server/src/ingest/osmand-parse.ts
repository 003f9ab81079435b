import { READINGS, type ReadingName } from '@fms/engine'

/**
 * The OsmAnd protocol as Traccar's server accepts it (Traccar Client and many trackers):
 * query string or form fields, or the JSON body of newer clients. Produces one point in FMS's
 * device wire format plus the tracker's own id; validation happens in the shared pipeline.
 */
export interface OsmandPoint {
  /** The tracker's id (IMEI, or the id configured in the app): the device's `externalId`. */
  externalId: string
  point: Record<string, unknown>
}

export class OsmandFormatError extends Error {}

const KNOTS_TO_KMH = 1.852
const MS_TO_KMH = 3.6

/** A number in OsmAnd's unit to ours; `undefined` where OsmAnd means "unknown". */
type Convert = (value: number) => number | undefined

/** Where OsmAnd reports one of our readings. */
interface OsmandReading {
  /**
   * The query-string / form parameters, the first one sent winning (the first name labels
   * errors): a number, or `true` / `1` for a boolean reading.
   */
  params?: readonly [string, ...string[]]
  fromParam?: Convert
  /** The JSON variant's number, as a dotted path under `location` (its last key labels errors). */
  json?: string
  fromJson?: Convert
}

const [, MAX_ACCURACY_M] = READINGS.accuracy.range

/** Metres; negative is unknown, and anything worse than the reading's range is stored as its end. */
const toAccuracy: Convert = (metres) => (metres < 0 ? undefined : Math.min(metres, MAX_ACCURACY_M))

/**
 * The readings OsmAnd reports, keyed by our name, with the conversion to our unit where OsmAnd's
 * differs: the query-string variant sends speed in knots; the JSON of newer clients speed in m/s,
 * odometer in metres, and -1 for an unknown speed or heading. `accuracy` (metres) and `valid`
 * (Traccar's `valid=false` for a fix the tracker itself distrusts) let the engine leave bad fixes
 * out of distance and alerts. Other parameters are attributes.
 */
const OSMAND_READINGS: { readonly [K in ReadingName]?: OsmandReading } = {
  lat: { params: ['lat'], json: 'coords.latitude' },
  lon: { params: ['lon'], json: 'coords.longitude' },
  speed: {
    params: ['speed'],
    fromParam: (knots) => round(knots * KNOTS_TO_KMH),
    json: 'coords.speed',
    fromJson: (ms) => (ms < 0 ? undefined : round(ms * MS_TO_KMH)),
  },
  heading: {
    params: ['bearing', 'heading'],
    json: 'coords.heading',
    fromJson: (degrees) => (degrees < 0 ? undefined : degrees),
  },
  altitude: { params: ['altitude'], json: 'coords.altitude' },
  odometer: { json: 'odometer', fromJson: (metres) => metres / 1000 },
  ignition: { params: ['ignition'] },
  accuracy: {
    params: ['accuracy'],
    fromParam: toAccuracy,
    json: 'coords.accuracy',
    fromJson: toAccuracy,
  },
  valid: { params: ['valid'] },
  /** Traccar's name for the driver's identifier (RFID, iButton), as its own devices report it. */
  driverId: { params: ['driverUniqueId'] },
}

const MAPPED = Object.entries(OSMAND_READINGS) as [ReadingName, OsmandReading][]

/** Parameters with a meaning of their own; every other one is kept as an attribute. */
const KNOWN_KEYS = new Set([
  'id',
  'deviceid',
  'timestamp',
  'location',
  ...MAPPED.flatMap(([, reading]) => reading.params ?? []),
])

/** `timestamp` as epoch seconds, epoch ms, ISO 8601, or `yyyy-MM-dd HH:mm:ss` (UTC). */
export function parseOsmandTime(value: string): number {
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed)
    // Ten digits are seconds (until 2286); thirteen are milliseconds.
    return Math.round(n < 100_000_000_000 ? n * 1000 : n)
  }
  const plain = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(trimmed)
  const ms = plain ? Date.parse(`${plain[1]}T${plain[2]}Z`) : Date.parse(trimmed)
  if (Number.isNaN(ms)) throw new OsmandFormatError(`unreadable timestamp: ${value.slice(0, 40)}`)
  return ms
}

function toNumber(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const n = Number(value)
  if (!Number.isFinite(n)) throw new OsmandFormatError(`${field} must be a number`)
  return n
}

function attributeValue(value: string): string | number | boolean {
  if (value === 'true' || value === 'false') return value === 'true'
  const n = Number(value)
  return value.trim() !== '' && Number.isFinite(n) ? n : value.slice(0, 256)
}

/** The query-string / form variant: `id=…&lat=…&lon=…&timestamp=…&speed=<knots>&…`. */
export function parseOsmandParams(params: URLSearchParams): OsmandPoint {
  const get = (key: string) => params.get(key) ?? undefined
  const externalId = get('id') ?? get('deviceid')
  if (!externalId) throw new OsmandFormatError('id (or deviceid) is required')
  const timestamp = get('timestamp')
  const point: Record<string, unknown> = {
    time: timestamp === undefined ? undefined : parseOsmandTime(timestamp),
  }
  for (const [name, { params: keys, fromParam }] of MAPPED) {
    if (!keys) continue
    const text = keys.map(get).find((value) => value !== undefined)
    const wire = READINGS[name].wire
    if (READINGS[name].type === 'text') {
      point[wire] = text === undefined || text === '' ? undefined : text
    } else if (READINGS[name].type === 'boolean') {
      // As Traccar reads them (`true` in any case, or 1), an empty value being unknown.
      point[wire] =
        text === undefined || text === ''
          ? undefined
          : text.toLowerCase() === 'true' || text === '1'
    } else {
      point[wire] = convert(toNumber(text, keys[0]), fromParam)
    }
  }
  const location = get('location')
  if (location !== undefined && point.lat === undefined) {
    const [a, b] = location.split(',')
    point.lat = toNumber(a, 'location')
    point.lon = toNumber(b, 'location')
  }
  const attributes: Record<string, string | number | boolean> = {}
  for (const [key, value] of params) {
    if (!KNOWN_KEYS.has(key) && Object.keys(attributes).length < 32) {
      attributes[key.slice(0, 64)] = attributeValue(value)
    }
  }
  point.attributes = Object.keys(attributes).length > 0 ? attributes : undefined
  return { externalId, point }
}

interface OsmandJson {
  device_id?: unknown
  location?: {
    timestamp?: unknown
    coords?: Record<string, unknown>
    odometer?: unknown
    is_moving?: unknown
    battery?: { level?: unknown; is_charging?: unknown }
    extras?: unknown
  }
  battery?: { level?: unknown; is_charging?: unknown }
  extras?: unknown
}

function optionalNumber(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new OsmandFormatError(`${field} must be a number`)
  }
  return value
}

/** The JSON variant of newer Traccar Client versions (speed in m/s, odometer in metres). */
export function parseOsmandJson(body: unknown): OsmandPoint {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OsmandFormatError('body must be a JSON object')
  }
  const json = body as OsmandJson
  const externalId = typeof json.device_id === 'string' ? json.device_id : undefined
  if (!externalId) throw new OsmandFormatError('device_id is required')
  const location = json.location ?? {}
  const timestamp = location.timestamp
  const point: Record<string, unknown> = {
    time:
      typeof timestamp === 'string' || typeof timestamp === 'number'
        ? parseOsmandTime(String(timestamp))
        : undefined,
  }
  for (const [name, { json: path, fromJson }] of MAPPED) {
    if (!path) continue
    const field = path.slice(path.lastIndexOf('.') + 1)
    point[READINGS[name].wire] = convert(optionalNumber(at(location, path), field), fromJson)
  }
  const battery = location.battery ?? json.battery
  const level = optionalNumber(battery?.level, 'battery.level')
  const attributes: Record<string, string | number | boolean | null> = {}
  if (typeof location.is_moving === 'boolean') attributes.motion = location.is_moving
  if (level !== undefined) attributes.batteryLevel = round(level <= 1 ? level * 100 : level)
  if (typeof battery?.is_charging === 'boolean') attributes.charging = battery.is_charging
  const extras = location.extras ?? json.extras
  if (extras && typeof extras === 'object' && !Array.isArray(extras)) {
    const { driverUniqueId } = extras as { driverUniqueId?: unknown }
    // The pipeline validates it like the wire's `driver_id` (length, characters).
    if (driverUniqueId !== undefined) point[READINGS.driverId.wire] = driverUniqueId
    for (const [key, value] of Object.entries(extras)) {
      if (key === 'driverUniqueId') continue
      if (Object.keys(attributes).length >= 32) break
      if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
        attributes[key.slice(0, 64)] =
          typeof value === 'string' ? value.slice(0, 256) : (value as number | boolean | null)
      }
    }
  }
  point.attributes = Object.keys(attributes).length > 0 ? attributes : undefined
  return { externalId, point }
}

/** The value at a dotted path (`coords.speed`), or undefined. */
function at(value: unknown, path: string): unknown {
  let found = value
  for (const key of path.split('.')) {
    found =
      typeof found === 'object' && found !== null
        ? (found as Record<string, unknown>)[key]
        : undefined
  }
  return found
}

function convert(value: number | undefined, to: Convert | undefined): number | undefined {
  return value === undefined || to === undefined ? value : to(value)
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
