import { z } from 'zod'
import { appRouter } from '../root.ts'

/** What the REST layer reads of a procedure: its type and its zod input and output schemas. */
export interface ProcedureShape {
  type: 'query' | 'mutation' | 'subscription'
  input: z.ZodType | undefined
  output: z.ZodType | undefined
}

type JsonSchema = Record<string, unknown>

export function findProcedure(path: string): ProcedureShape | undefined {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: ProcedureShape['type']; inputs: unknown[]; output?: unknown } } | undefined
  >
  const def = procedures[path]?._def
  if (!def) return undefined
  return {
    type: def.type,
    input: def.inputs[0] as z.ZodType | undefined,
    output: def.output as z.ZodType | undefined,
  }
}

const jsonSchemas = new Map<z.ZodType, JsonSchema>()

/**
 * A zod schema as JSON Schema (draft 2020-12, OpenAPI 3.1's dialect): `io: 'input'` for what a
 * caller sends (defaults make fields optional), `'output'` for what comes back. Dates are
 * ISO 8601 date-time strings on the wire; what JSON Schema can't say (transforms) is left open.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const cached = io === 'input' ? jsonSchemas.get(schema) : undefined
  if (cached) return cached
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override(ctx) {
      if ((ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def.type === 'date') {
        ctx.jsonSchema.type = 'string'
        ctx.jsonSchema.format = 'date-time'
      }
    },
  }) as JsonSchema
  if (io === 'input') jsonSchemas.set(schema, json)
  return json
}

/** The JSON types a property schema allows (through anyOf/oneOf), e.g. `['integer', 'null']`. */
export function jsonTypesOf(schema: JsonSchema | undefined): string[] {
  if (!schema) return []
  const own = schema.type
  const types = Array.isArray(own) ? own : typeof own === 'string' ? [own] : []
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key]
    if (Array.isArray(options)) {
      for (const option of options) types.push(...jsonTypesOf(option as JsonSchema))
    }
  }
  return types
}
