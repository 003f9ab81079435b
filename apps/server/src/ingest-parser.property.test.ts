import { AppError } from '@fms/api/errors'
import { ZTelemetryPoint, ZTelemetryPointWire } from '@fms/api/schemas'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type BodyFormat, parsePoints } from './ingest/body.ts'
import { ZTelemetryPointCompiled } from './ingest/pipeline.ts'

// Whatever a device sends, the body parser answers with a list of points or an AppError (a 4xx),
// never a crash, and the point schema never throws.
const RUNS = { numRuns: 300 }
const FORMATS: BodyFormat[] = ['json', 'ndjson']

/** The points, or the AppError `parsePoints` threw; anything else thrown propagates. */
function parseOrAppError(body: Buffer, format: BodyFormat, maxPoints: number) {
  try {
    return parsePoints(body, format, maxPoints)
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
}

function expectPointsOrClientError(result: unknown[] | AppError, maxPoints: number): void {
  if (result instanceof AppError) {
    expect(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE']).toContain(result.code)
  } else {
    expect(Array.isArray(result)).toBe(true)
    expect(result.length).toBeLessThanOrEqual(maxPoints)
  }
}

const format = fc.constantFrom(...FORMATS)
const maxPoints = fc.integer({ min: 1, max: 20 })

describe('parsePoints', () => {
  it('answers any string with points or an AppError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), format, maxPoints, (s, f, max) =>
        expectPointsOrClientError(parseOrAppError(Buffer.from(s), f, max), max),
      ),
      RUNS,
    )
  })

  it('answers any bytes with points or an AppError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), format, maxPoints, (bytes, f, max) =>
        expectPointsOrClientError(parseOrAppError(Buffer.from(bytes), f, max), max),
      ),
      RUNS,
    )
  })

  it('returns a JSON body as its points: an array as is, anything else as one point', () => {
    fc.assert(
      fc.property(fc.jsonValue(), maxPoints, (value, max) => {
        const result = parseOrAppError(Buffer.from(JSON.stringify(value)), 'json', max)
        const expected = Array.isArray(value) ? value : [value]
        if (expected.length > max) {
          expect(result).toBeInstanceOf(AppError)
          expect((result as AppError).code).toBe('PAYLOAD_TOO_LARGE')
        } else {
          expect(result).toStrictEqual(JSON.parse(JSON.stringify(expected)))
        }
      }),
      RUNS,
    )
  })

  it('returns one point per non-blank NDJSON line', () => {
    const line = fc.jsonValue().map((value) => JSON.stringify(value))
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), maxPoints, (lines, max) => {
        const result = parseOrAppError(Buffer.from(lines.join('\n')), 'ndjson', max)
        if (lines.length > max) expect((result as AppError).code).toBe('PAYLOAD_TOO_LARGE')
        else expect(result).toStrictEqual(lines.map((l) => JSON.parse(l)))
      }),
      RUNS,
    )
  })

  it('answers arrays and objects nested up to 30,000 deep with points or an AppError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30_000 }), fc.boolean(), (depth, isArray) => {
        const [open, close] = isArray ? ['[', ']'] : ['{"a":', '}']
        const body = Buffer.from(`${open.repeat(depth)}1${close.repeat(depth)}`)
        expectPointsOrClientError(parseOrAppError(body, 'json', 10), 10)
        expectPointsOrClientError(parseOrAppError(body, 'ndjson', 10), 10)
      }),
      { numRuns: 30 },
    )
  })
})

/** Raw JSON text for a `time`: ISO strings of any year and precision, epoch numbers. */
const rawTime = fc.oneof(
  fc
    .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
    .map((date) => JSON.stringify(date.toISOString())),
  fc
    .tuple(
      fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }),
      fc.constantFrom('Z', '+14:00', '-12:00', '+00:00', '', '+2400'),
      fc.constantFrom('', '.1', '.123456789'),
    )
    .map(([date, zone, fraction]) =>
      JSON.stringify(`${date.toISOString().slice(0, 19)}${fraction}${zone}`),
    ),
  fc.integer({ min: -1e15, max: 9e15 }).map(String),
  fc.constantFrom('1e309', '8.64e15', '8640000000000001', '1e11', '99999999999.5'),
)
/** Raw JSON text for any other value, including what JSON.parse turns into odd numbers. */
const rawValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
  fc.constantFrom('1e309', '-1e309', '-0', '1e-400', '9007199254740993', '90', '-180', '360'),
  fc.double({ min: -200, max: 200, noNaN: true }).map(String),
)
const key = fc.oneof(
  fc.constantFrom(...Object.keys(ZTelemetryPointWire.shape)),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
  fc.string({ maxLength: 12 }),
)
const entry = fc.oneof(fc.tuple(fc.constant('time'), rawTime), fc.tuple(key, rawValue))
/** An object as JSON.parse builds it from device text (own `__proto__` keys, repeated keys). */
const parsedObject = fc
  .array(entry, { maxLength: 8 })
  .map(
    (entries) =>
      JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`) as unknown,
  )

describe('ZTelemetryPoint', () => {
  it('never throws on any JSON object, and a valid point has a usable time and position', () => {
    fc.assert(
      fc.property(parsedObject, (object) => {
        const result = ZTelemetryPoint.safeParse(object)
        if (!result.success) return
        const { time, lat, lon } = result.data
        if (time !== undefined) expect(Number.isFinite(time)).toBe(true)
        expect(lat === undefined).toBe(lon === undefined)
      }),
      RUNS,
    )
  })

  it('never throws on any value at all', () => {
    const value = fc.anything({ withBoxedValues: true, withMap: true, withNullPrototype: true })
    fc.assert(
      fc.property(value, (v) => {
        expect(typeof ZTelemetryPoint.safeParse(v).success).toBe('boolean')
        expect(typeof ZTelemetryPointCompiled.safeParse(v).success).toBe('boolean')
      }),
      RUNS,
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('compiled for the server, accepts and rejects exactly what the shared schema does', () => {
    fc.assert(
      fc.property(parsedObject, (object) => {
        const plain = ZTelemetryPoint.safeParse(object)
        const compiled = ZTelemetryPointCompiled.safeParse(object)
        expect(compiled.success).toBe(plain.success)
        if (plain.success) expect(compiled.data).toStrictEqual(plain.data)
        else expect(compiled.error?.issues[0]?.path).toEqual(plain.error.issues[0]?.path)
      }),
      RUNS,
    )
  })
})
