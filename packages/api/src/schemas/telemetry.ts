import {
  fixedShape,
  READING_NAMES,
  type READINGS,
  type Reading,
  type ReadingName,
  type ReadingSpec,
  type ReadingType,
  readingSpec,
} from '@fms/engine'
import { z } from 'zod'
import { NO_NUL, NO_NUL_ERROR, ZId } from './common.ts'

/**
 * The device wire format (snake_case, like the original app): one point. Devices send one object,
 * an array of them, or NDJSON. `iot_id` is an alias of `device_id`, `long` of `lon`; `token` is
 * the original app's in-body credential (a header is preferred).
 */
type Spec<K extends ReadingName> = (typeof READINGS)[K]
type RangedName = {
  [K in ReadingName]: Spec<K> extends { range: readonly [number, number] } ? K : never
}[ReadingName]
type AliasOf<K extends ReadingName> =
  Spec<K> extends { wireAliases: readonly (infer A)[] } ? A & string : never

/** The accepted range of each numeric reading, by wire name (from READINGS). */
export const TELEMETRY_RANGES = Object.fromEntries(
  READING_NAMES.flatMap((name) => {
    const { wire, range } = readingSpec(name)
    return range ? [[wire, range]] : []
  }),
) as { [K in RangedName as Spec<K>['wire']]: Spec<K>['range'] }

function ranged(field: string, [min, max]: readonly [number, number]) {
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

type ReadingSchema<T extends ReadingType> = z.ZodOptional<
  T extends 'text' ? z.ZodString : T extends 'boolean' ? z.ZodBoolean : z.ZodNumber
>

function readingSchema(spec: ReadingSpec): ReadingSchema<ReadingType> {
  if (spec.type === 'boolean') {
    return z.boolean({ error: `${spec.wire} must be true or false` }).optional()
  }
  if (spec.type === 'text') {
    if (spec.maxLength === undefined) throw new Error(`reading ${spec.wire} needs a maxLength`)
    return shortText(spec.maxLength).optional()
  }
  if (!spec.range) throw new Error(`reading ${spec.wire} needs a range`)
  return ranged(spec.wire, spec.range)
}

type ReadingsShape = {
  [K in ReadingName as Spec<K>['wire'] | AliasOf<K>]: ReadingSchema<Spec<K>['type']>
}

/** Each reading under its wire name, then its aliases, in READINGS order. */
function readingsShape(): ReadingsShape {
  const shape: Record<string, ReadingSchema<ReadingType>> = {}
  for (const name of READING_NAMES) {
    const spec = readingSpec(name)
    shape[spec.wire] = readingSchema(spec)
    for (const alias of spec.wireAliases ?? []) shape[alias] = readingSchema(spec)
  }
  return shape as ReadingsShape
}

/** The readings that have wire aliases, compiled once for the refine and the transform. */
const WIRE_FIELDS = READING_NAMES.map((name) => {
  const { wire, wireAliases = [] } = readingSpec(name)
  return { name, wire, aliases: wireAliases }
})

export const ZTelemetryPointWire = z.object({
  device_id: ZId.optional(),
  iot_id: ZId.optional(),
  token: shortText(200).optional(),
  time: ZTime.optional(),
  ...readingsShape(),
  /** Anything else the device reports (battery, protocol extras): flat, small. */
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
export type TelemetryPoint = {
  deviceId: string | undefined
  time: number | undefined
  attributes: Record<string, string | number | boolean | null> | undefined
} & { [K in ReadingName]: NonNullable<Reading[K]> | undefined }

export const ZTelemetryPoint = ZTelemetryPointWire.superRefine((point, ctx) => {
  if (point.device_id && point.iot_id && point.device_id !== point.iot_id) {
    ctx.addIssue({ code: 'custom', message: 'device_id and iot_id disagree', path: ['iot_id'] })
  }
  const wire = point as Record<string, unknown>
  for (const { wire: field, aliases } of WIRE_FIELDS) {
    for (const alias of aliases) {
      const value = wire[field]
      if (value !== undefined && wire[alias] !== undefined && value !== wire[alias]) {
        ctx.addIssue({ code: 'custom', message: `${field} and ${alias} disagree`, path: [alias] })
      }
    }
  }
  const lon = point.lon ?? point.long
  if ((point.lat === undefined) !== (lon === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'lat and lon come together', path: ['lat'] })
  }
}).transform((p): TelemetryPoint => {
  const wire = p as Record<string, unknown>
  const point = emptyPoint()
  point.deviceId = p.device_id ?? p.iot_id
  point.time =
    p.time === undefined ? undefined : typeof p.time === 'number' ? p.time : Date.parse(p.time)
  const fields = point as Record<string, unknown>
  for (const { name, wire: field, aliases } of WIRE_FIELDS) {
    let value = wire[field]
    for (const alias of aliases) value ??= wire[alias]
    fields[name] = value
  }
  point.attributes = p.attributes
  return point
})

/**
 * Every point has the same fixed shape (see `fixedShape`), with room for the ingestion row's
 * `orgId` and `vehicleId`, set once its device is resolved.
 */
const emptyPoint = fixedShape([
  'time',
  'orgId',
  'deviceId',
  'vehicleId',
  ...READING_NAMES,
  'attributes',
]) as unknown as () => TelemetryPoint

/** What `POST /api/telemetry` answers after commit. */
export interface IngestResult {
  accepted: number
  duplicates: number
  rejected: { index: number; error: string }[]
}
