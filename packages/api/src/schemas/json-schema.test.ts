import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { telemetryPointJsonSchema } from './json-schema.ts'

const PUBLISHED = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../docs/telemetry-point.schema.json',
)

describe('published telemetry JSON Schema', () => {
  it('matches the zod schema (regenerate with `pnpm --filter @fms/api docs:schema`)', () => {
    expect(JSON.parse(readFileSync(PUBLISHED, 'utf8'))).toEqual(telemetryPointJsonSchema())
  })

  it('documents the ranges devices must respect', () => {
    const schema = telemetryPointJsonSchema() as {
      properties: Record<string, { maximum?: number }>
    }
    expect(schema.properties.lat?.maximum).toBe(90)
    expect(schema.properties.fuel?.maximum).toBe(100)
  })
})
