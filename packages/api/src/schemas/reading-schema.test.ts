import { READING_NAMES, type ReadingType, readingSpec } from '@fms/engine'
import { describe, expect, it } from 'vitest'
import { telemetryPointJsonSchema } from './json-schema.ts'
import { TELEMETRY_RANGES, ZTelemetryPoint } from './telemetry.ts'

const JSON_TYPES: Record<ReadingType, string> = {
  float8: 'number',
  float4: 'number',
  boolean: 'boolean',
  text: 'string',
}
const SAMPLES = { float8: 12.25, float4: 1.5, boolean: true, text: 'ok' } as const

type Property = { type?: string; minimum?: number; maximum?: number; maxLength?: number }
/** A point with only this wire field, plus the other coordinate (lat and lon come together). */
function pointWith(wire: string, value: unknown): Record<string, unknown> {
  const point: Record<string, unknown> = { [wire]: value }
  if (wire === 'lat') point.lon = 0
  if (wire === 'lon' || wire === 'long') point.lat = 0
  return point
}

const schema = telemetryPointJsonSchema() as { properties: Record<string, Property> }

describe('the device wire schema follows READINGS', () => {
  for (const name of READING_NAMES) {
    const spec = readingSpec(name)
    for (const wire of [spec.wire, ...(spec.wireAliases ?? [])]) {
      it(`documents ${wire} as ${JSON_TYPES[spec.type]} with its limits`, () => {
        const property = schema.properties[wire]
        expect(property?.type).toBe(JSON_TYPES[spec.type])
        expect(property?.minimum).toBe(spec.range?.[0])
        expect(property?.maximum).toBe(spec.range?.[1])
        expect(property?.maxLength).toBe(spec.maxLength)
      })

      it(`reads ${wire} into ${name}`, () => {
        const parsed = ZTelemetryPoint.parse(pointWith(wire, SAMPLES[spec.type]))
        expect(parsed[name]).toBe(SAMPLES[spec.type])
      })
    }
    if (spec.range) {
      it(`publishes ${spec.wire}'s range and refuses values outside it`, () => {
        expect(TELEMETRY_RANGES[spec.wire as keyof typeof TELEMETRY_RANGES]).toEqual(spec.range)
        const [min, max] = spec.range!
        expect(ZTelemetryPoint.safeParse(pointWith(spec.wire, min)).success).toBe(true)
        expect(ZTelemetryPoint.safeParse(pointWith(spec.wire, min - 1)).success).toBe(false)
        expect(ZTelemetryPoint.safeParse(pointWith(spec.wire, max + 1)).success).toBe(false)
      })
    }
  }
})
