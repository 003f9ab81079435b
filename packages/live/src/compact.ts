import { LIVE_READING_NAMES, type LiveReadingName, readingSpec } from '@fms/engine'
import type { LivePoint } from './types.ts'

/**
 * The compact live frame (`telemetry.live` with `format: 'compact'`): about 45 bytes per vehicle
 * update instead of about 260 as JSON objects, so a browser can follow 20,000 vehicles a second.
 *
 * - A vehicle (with its device) is a small number, `key`, given by the server in order of first
 *   sight and sent to each socket once, in the first frame that needs it: `keys` holds
 *   `[key, vehicleId, deviceId]` for the keys this socket has not seen before.
 * - `p` holds one record per point, records separated by `;`, fields by `,`, every number an
 *   integer in base 36: the key, the time after `t` (epoch ms), then each live reading in
 *   `LIVE_READING_NAMES` order, scaled (`COMPACT_SCALES`: lat/lon to 1e-6 degrees, most others to
 *   a tenth), a boolean as 1/0, a text as its index in `s`. An empty field is a missing reading.
 *
 * A client keeps the keys of its subscription (a new subscription starts from none).
 */
export interface CompactLiveFrame {
  c: 1
  reset: boolean
  keys: CompactKey[]
  /** Base time, epoch ms. */
  t: number
  /** The texts the records refer to, by index. */
  s: string[]
  /** The records. */
  p: string
}

/** `[key, vehicleId, deviceId]`: what a key stands for. */
export type CompactKey = [key: number, vehicleId: string | null, deviceId: string]

/** How many units of each numeric live reading make 1 on the wire (values are rounded to them). */
export const COMPACT_SCALES: Partial<Record<LiveReadingName, number>> = {
  lat: 1e6,
  lon: 1e6,
  speed: 10,
  heading: 10,
  rpm: 1,
  fuel: 10,
  coolantTemp: 10,
  engineLoad: 10,
  odometer: 10,
}
const DEFAULT_SCALE = 100

const FIELDS = LIVE_READING_NAMES.map((name) => ({
  name,
  type: readingSpec(name).type,
  scale: COMPACT_SCALES[name] ?? DEFAULT_SCALE,
}))

/**
 * Numbers the (vehicle, device) pairs a group of subscribers sees, in order of first sight. Lives
 * as long as its group, so it holds at most the organization's pairs.
 */
export class CompactKeys {
  private readonly byPair = new Map<string, number>()
  private readonly entries: CompactKey[] = []

  keyOf(point: LivePoint): number {
    const pair = `${point.vehicleId ?? ''}/${point.deviceId}`
    let key = this.byPair.get(pair)
    if (key === undefined) {
      key = this.entries.length
      this.byPair.set(pair, key)
      this.entries.push([key, point.vehicleId, point.deviceId])
    }
    return key
  }

  entry(key: number): CompactKey | undefined {
    return this.entries[key]
  }
}

/** The shared part of a compact frame: everything but `keys`, and the keys its records use. */
export interface CompactBody {
  /** `"reset":…,"t":…,"s":[…],"p":"…"}`: the JSON after `keys`. */
  tail: string
  /** The key of each record, in order. */
  keys: Uint32Array
}

export function encodeCompactBody(
  points: readonly LivePoint[],
  reset: boolean,
  keys: CompactKeys,
): CompactBody {
  let base = Number.POSITIVE_INFINITY
  for (const point of points) if (point.time < base) base = point.time
  if (!Number.isFinite(base)) base = 0
  const texts = new Map<string, number>()
  const used = new Uint32Array(points.length)
  const records: string[] = []
  for (let i = 0; i < points.length; i++) {
    const point = points[i] as LivePoint
    const key = keys.keyOf(point)
    used[i] = key
    let record = `${key.toString(36)},${(point.time - base).toString(36)}`
    for (const { name, type, scale } of FIELDS) {
      const value = point[name] as unknown
      record += ','
      if (value === null || value === undefined) continue
      if (type === 'boolean') record += value ? '1' : '0'
      else if (type === 'text') {
        const text = String(value)
        let index = texts.get(text)
        if (index === undefined) {
          index = texts.size
          texts.set(text, index)
        }
        record += index.toString(36)
      } else if (typeof value === 'number' && Number.isFinite(value)) {
        record += Math.round(value * scale).toString(36)
      }
    }
    // Trailing empty fields say nothing: left out.
    records.push(record.replace(/,+$/, ''))
  }
  const tail = `"reset":${reset},"t":${base},"s":${JSON.stringify([...texts.keys()])},"p":${JSON.stringify(records.join(';'))}}`
  return { tail, keys: used }
}

/** The JSON of a compact frame: the socket's new keys, then the shared body. */
export function compactFrameJson(newKeys: readonly CompactKey[], body: CompactBody): string {
  return `{"c":1,"keys":${JSON.stringify(newKeys)},${body.tail}`
}

/**
 * Reads a compact frame's points, learning its new keys into `known` (the subscription's keys).
 * A record whose key is unknown is skipped (it cannot happen on one subscription).
 */
export function decodeCompactFrame(
  frame: CompactLiveFrame,
  known: Map<number, { vehicleId: string | null; deviceId: string }>,
): LivePoint[] {
  for (const [key, vehicleId, deviceId] of frame.keys) known.set(key, { vehicleId, deviceId })
  const points: LivePoint[] = []
  if (frame.p === '') return points
  for (const record of frame.p.split(';')) {
    const fields = record.split(',')
    const who = known.get(Number.parseInt(fields[0] ?? '', 36))
    if (!who) continue
    const point: Record<string, unknown> = {
      vehicleId: who.vehicleId,
      deviceId: who.deviceId,
      time: frame.t + Number.parseInt(fields[1] ?? '0', 36),
    }
    for (let f = 0; f < FIELDS.length; f++) {
      const { name, type, scale } = FIELDS[f] as (typeof FIELDS)[number]
      const field = fields[f + 2]
      if (field === undefined || field === '') point[name] = null
      else if (type === 'boolean') point[name] = field === '1'
      else if (type === 'text') point[name] = frame.s[Number.parseInt(field, 36)] ?? null
      else point[name] = Number.parseInt(field, 36) / scale
    }
    points.push(point as unknown as LivePoint)
  }
  return points
}

/** A `telemetry.live` frame's points in either format (a compact frame's keys learnt into `known`). */
export function readLiveFramePoints(
  frame: { points: LivePoint[] } | CompactLiveFrame,
  known: Map<number, { vehicleId: string | null; deviceId: string }>,
): LivePoint[] {
  return 'c' in frame ? decodeCompactFrame(frame, known) : frame.points
}
