import { STATUS_CODES } from 'node:http'
import { TRPCError } from '@trpc/server'
import { getHTTPStatusCodeFromError } from '@trpc/server/http'
import { ZodError, z } from 'zod'
import type { Context } from '../context.ts'
import { AppError, type FieldErrors } from '../errors.ts'
import { createCaller } from '../root.ts'
import { pathParamsOf, routeInputSchema, takesQuery } from './openapi.ts'
import { jsonTypesOf } from './procedures.ts'
import type { RestRoute } from './routes.ts'

/** An error answer (RFC 9457 problem details); `cause` is set for a 500, to be logged. */
export interface RestProblem {
  status: number
  body: {
    type: 'about:blank'
    title: string
    status: number
    code: string
    detail: string
    fieldErrors?: FieldErrors
  }
  cause?: unknown
}

export type RestAnswer = { status: number; body: unknown } | { problem: RestProblem }

export function problem(
  status: number,
  code: string,
  detail: string,
  fieldErrors?: FieldErrors,
): RestProblem {
  return {
    status,
    body: {
      type: 'about:blank',
      title: STATUS_CODES[status] ?? 'Error',
      status,
      code,
      detail,
      ...(fieldErrors ? { fieldErrors } : {}),
    },
  }
}

/**
 * Calls the route's procedure as the request's caller (`createCaller` with the request's
 * context, so authentication, scope, role and tenancy checks run exactly as over tRPC) and turns
 * the answer or the error into an HTTP status and JSON body.
 */
export async function callRestRoute(params: {
  ctx: Context
  route: RestRoute
  pathParams: Record<string, string>
  query: URLSearchParams
  body: unknown
}): Promise<RestAnswer> {
  const { route } = params
  const input = buildInput(params)
  if ('problem' in input) return input
  let procedure: unknown = createCaller(params.ctx)
  for (const key of route.procedure.split('.')) {
    procedure = (procedure as Record<string, unknown>)[key]
  }
  try {
    const output = await (procedure as (input: unknown) => Promise<unknown>)(input.value)
    return { status: route.status, body: output ?? null }
  } catch (error) {
    return { problem: toProblem(error) }
  }
}

/** A tRPC error as problem details: the same status and message as over tRPC. */
export function toProblem(error: unknown): RestProblem {
  const trpcError =
    error instanceof TRPCError
      ? error
      : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error })
  const status = getHTTPStatusCodeFromError(trpcError)
  const cause = trpcError.cause
  if (trpcError.code === 'INTERNAL_SERVER_ERROR') {
    return { ...problem(500, trpcError.code, 'Internal server error'), cause: cause ?? error }
  }
  if (cause instanceof ZodError) {
    const fieldErrors = z.flattenError(cause).fieldErrors as FieldErrors
    const formErrors = z.flattenError(cause).formErrors
    const detail =
      formErrors.length > 0 ? `Invalid input: ${formErrors.join('; ')}` : 'Invalid input'
    return problem(status, trpcError.code, detail, fieldErrors)
  }
  const fieldErrors = cause instanceof AppError ? cause.fieldErrors : undefined
  return problem(status, trpcError.code, trpcError.message, fieldErrors)
}

function invalid(fieldErrors: FieldErrors, detail = 'Invalid input'): { problem: RestProblem } {
  return { problem: problem(400, 'BAD_REQUEST', detail, fieldErrors) }
}

/**
 * The procedure input: path parameters plus the query string (GET, DELETE) or the JSON body
 * (POST, PATCH). Query values are strings; a field the schema types as a number or boolean is
 * read as one, an array field takes every value given (`?id=a&id=b`). A body field that names a
 * path parameter must agree with the path.
 */
function buildInput(params: {
  route: RestRoute
  pathParams: Record<string, string>
  query: URLSearchParams
  body: unknown
}): { value: unknown } | { problem: RestProblem } {
  const { route, pathParams } = params
  const schema = routeInputSchema(route)
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>
  if (!takesQuery(route)) {
    const body = params.body ?? {}
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return invalid({}, 'The body must be a JSON object')
    }
    for (const name of pathParamsOf(route)) {
      const given = (body as Record<string, unknown>)[name]
      if (given !== undefined && given !== pathParams[name]) {
        return invalid({ [name]: ['Differs from the path'] })
      }
    }
    return { value: { ...body, ...pathParams } }
  }
  const value: Record<string, unknown> = { ...pathParams }
  for (const name of new Set(params.query.keys())) {
    if (name in pathParams) return invalid({ [name]: ['Given in the path'] })
    const values = params.query.getAll(name)
    const types = jsonTypesOf(properties[name])
    if (types.includes('array')) {
      const items = properties[name]?.items as Record<string, unknown> | undefined
      value[name] = values.map((one) => readScalar(one, jsonTypesOf(items)))
      continue
    }
    if (values.length > 1) return invalid({ [name]: ['Given more than once'] })
    value[name] = readScalar(values[0] ?? '', types)
  }
  return { value }
}

/** A query value as the type its schema asks for; left a string (for a clear error) otherwise. */
function readScalar(raw: string, types: string[]): unknown {
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(raw)) {
    return Number(raw)
  }
  if (types.includes('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true'
  if (types.includes('null') && raw === 'null' && !types.includes('string')) return null
  return raw
}
