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
/** Keys with a meaning of their own; every other key is kept as an attribute. */
const KNOWN_KEYS = new Set([
  'id',
  'deviceid',
  'timestamp',
  'lat',
  'lon',
  'location',
  'speed',
  'bearing',
  'heading',
  'altitude',
  'ignition',
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
  let lat = toNumber(get('lat'), 'lat')
  let lon = toNumber(get('lon'), 'lon')
  const location = get('location')
  if (location !== undefined && lat === undefined) {
    const [a, b] = location.split(',')
    lat = toNumber(a, 'location')
    lon = toNumber(b, 'location')
  }
  const timestamp = get('timestamp')
  const speedKnots = toNumber(get('speed'), 'speed')
  const ignition = get('ignition')
  const attributes: Record<string, string | number | boolean> = {}
  for (const [key, value] of params) {
    if (!KNOWN_KEYS.has(key) && Object.keys(attributes).length < 32) {
      attributes[key.slice(0, 64)] = attributeValue(value)
    }
  }
  return {
    externalId,
    point: {
      time: timestamp === undefined ? undefined : parseOsmandTime(timestamp),
      lat,
      lon,
      speed: speedKnots === undefined ? undefined : round(speedKnots * KNOTS_TO_KMH),
      heading: toNumber(get('bearing') ?? get('heading'), 'bearing'),
      altitude: toNumber(get('altitude'), 'altitude'),
      ignition: ignition === undefined ? undefined : ignition === 'true' || ignition === '1',
      attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
    },
  }
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
  const coords = location.coords ?? {}
  const battery = location.battery ?? json.battery
  const speed = optionalNumber(coords.speed, 'speed')
  const odometer = optionalNumber(location.odometer, 'odometer')
  const level = optionalNumber(battery?.level, 'battery.level')
  const attributes: Record<string, string | number | boolean | null> = {}
  const accuracy = optionalNumber(coords.accuracy, 'accuracy')
  if (accuracy !== undefined) attributes.accuracy = accuracy
  if (typeof location.is_moving === 'boolean') attributes.motion = location.is_moving
  if (level !== undefined) attributes.batteryLevel = round(level <= 1 ? level * 100 : level)
  if (typeof battery?.is_charging === 'boolean') attributes.charging = battery.is_charging
  const extras = location.extras ?? json.extras
  if (extras && typeof extras === 'object' && !Array.isArray(extras)) {
    for (const [key, value] of Object.entries(extras)) {
      if (Object.keys(attributes).length >= 32) break
      if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
        attributes[key.slice(0, 64)] =
          typeof value === 'string' ? value.slice(0, 256) : (value as number | boolean | null)
      }
    }
  }
  const timestamp = location.timestamp
  return {
    externalId,
    point: {
      time:
        typeof timestamp === 'string' || typeof timestamp === 'number'
          ? parseOsmandTime(String(timestamp))
          : undefined,
      lat: optionalNumber(coords.latitude, 'latitude'),
      lon: optionalNumber(coords.longitude, 'longitude'),
      // Devices report -1 for "unknown" speed and heading.
      speed: speed === undefined || speed < 0 ? undefined : round(speed * MS_TO_KMH),
      heading: nonNegative(optionalNumber(coords.heading, 'heading')),
      altitude: optionalNumber(coords.altitude, 'altitude'),
      odometer: odometer === undefined ? undefined : odometer / 1000,
      attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
    },
  }
}

function nonNegative(value: number | undefined): number | undefined {
  return value === undefined || value < 0 ? undefined : value
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
