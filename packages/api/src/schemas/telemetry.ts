import { z } from 'zod'
import { NO_NUL, NO_NUL_ERROR, ZId } from './common.ts'

/**
 * The device wire format (snake_case, like the original app): one point. Devices send one object,
 * an array of them, or NDJSON. `iot_id` is an alias of `device_id`, `long` of `lon`; `token` is
 * the original app's in-body credential (a header is preferred).
 */
export const TELEMETRY_RANGES = {
  lat: [-90, 90],
  lon: [-180, 180],
  speed: [0, 500],
  heading: [0, 360],
  altitude: [-1_000, 20_000],
  rpm: [0, 20_000],
  fuel: [0, 100],
  engine_load: [0, 100],
  coolant_temp: [-60, 250],
  odometer: [0, 100_000_000],
} as const satisfies Record<string, readonly [number, number]>

type RangedField = keyof typeof TELEMETRY_RANGES

function ranged(field: RangedField) {
  const [min, max] = TELEMETRY_RANGES[field]
  return z
    .number({ error: `${field} must be a number` })
    .min(min, { error: `${field} must be >= ${min}` })
    .max(max, { error: `${field} must be <= ${max}` })
    .optional()
}

/** Epoch milliseconds before this are almost surely epoch seconds (that is year 1973 in ms). */
const MIN_EPOCH_MS = 100_000_000_000

const ZTime = z.union(
  [
    z.iso.datetime({ offset: true, error: 'time must be ISO 8601 with a zone, or epoch ms' }),
    z
      .number()
      .int()
      .min(MIN_EPOCH_MS, { error: 'time looks like epoch seconds; send milliseconds' })
      .max(8_640_000_000_000_000),
  ],
  { error: 'time must be ISO 8601 with a zone, or epoch milliseconds' },
)

export const MAX_ATTRIBUTES = 32

const shortText = (max: number) =>
  z
    .string()
    .max(max, { error: `at most ${max} characters` })
    .regex(NO_NUL, NO_NUL_ERROR)

export const ZTelemetryPointWire = z.object({
  device_id: ZId.optional(),
  iot_id: ZId.optional(),
  token: shortText(200).optional(),
  time: ZTime.optional(),
  lat: ranged('lat'),
  lon: ranged('lon'),
  long: ranged('lon'),
  speed: ranged('speed'),
  heading: ranged('heading'),
  altitude: ranged('altitude'),
  rpm: ranged('rpm'),
  fuel: ranged('fuel'),
  engine_load: ranged('engine_load'),
  coolant_temp: ranged('coolant_temp'),
  odometer: ranged('odometer'),
  ignition: z.boolean({ error: 'ignition must be true or false' }).optional(),
  status: shortText(32).optional(),
  sw_version: shortText(64).optional(),
  hw_version: shortText(64).optional(),
  /** Anything else the device reports (battery, accuracy, protocol extras): flat, small. */
  attributes: z
    .record(
      z.string().min(1).max(64).regex(NO_NUL, NO_NUL_ERROR),
      z.union([shortText(256), z.number(), z.boolean(), z.null()]),
    )
    .refine((value) => Object.keys(value).length <= MAX_ATTRIBUTES, {
      error: `at most ${MAX_ATTRIBUTES} attributes`,
    })
    .optional(),
})
export type TTelemetryPointWire = z.input<typeof ZTelemetryPointWire>

/** A validated point, with aliases resolved and `time` as epoch ms (undefined: arrival time). */
export interface TelemetryPoint {
  deviceId: string | undefined
  time: number | undefined
  lat: number | undefined
  lon: number | undefined
  speed: number | undefined
  heading: number | undefined
  altitude: number | undefined
  rpm: number | undefined
  fuel: number | undefined
  engineLoad: number | undefined
  coolantTemp: number | undefined
  odometer: number | undefined
  ignition: boolean | undefined
  status: string | undefined
  swVersion: string | undefined
  hwVersion: string | undefined
  attributes: Record<string, string | number | boolean | null> | undefined
}

export const ZTelemetryPoint = ZTelemetryPointWire.superRefine((point, ctx) => {
  if (point.device_id && point.iot_id && point.device_id !== point.iot_id) {
    ctx.addIssue({ code: 'custom', message: 'device_id and iot_id disagree', path: ['iot_id'] })
  }
  if (point.lon !== undefined && point.long !== undefined && point.lon !== point.long) {
    ctx.addIssue({ code: 'custom', message: 'lon and long disagree', path: ['long'] })
  }
  const lon = point.lon ?? point.long
  if ((point.lat === undefined) !== (lon === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'lat and lon come together', path: ['lat'] })
  }
}).transform(
  (p): TelemetryPoint => ({
    deviceId: p.device_id ?? p.iot_id,
    time:
      p.time === undefined ? undefined : typeof p.time === 'number' ? p.time : Date.parse(p.time),
    lat: p.lat,
    lon: p.lon ?? p.long,
    speed: p.speed,
    heading: p.heading,
    altitude: p.altitude,
    rpm: p.rpm,
    fuel: p.fuel,
    engineLoad: p.engine_load,
    coolantTemp: p.coolant_temp,
    odometer: p.odometer,
    ignition: p.ignition,
    status: p.status,
    swVersion: p.sw_version,
    hwVersion: p.hw_version,
    attributes: p.attributes,
  }),
)

/** What `POST /api/telemetry` answers after commit. */
export interface IngestResult {
  accepted: number
  duplicates: number
  rejected: { index: number; error: string }[]
}
