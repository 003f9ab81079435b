import { findProcedure, jsonTypesOf, toJsonSchema } from './procedures.ts'
import { REST_BASE_PATH, REST_ROUTES, type RestRoute } from './routes.ts'

type JsonSchema = Record<string, unknown>

const ERROR_STATUSES = {
  400: 'Invalid input: `fieldErrors` names each field at fault',
  401: 'No key or token, or one that is invalid, revoked or expired',
  403: "The caller's role or the key's scope does not allow this",
  404: "No such object in the caller's organization",
  409: 'Conflicts with an existing object (e.g. a code already in use)',
  429: 'Too many calls with this key: wait for Retry-After seconds',
} as const

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'An error (RFC 9457 problem details), the same for every route.',
  properties: {
    type: { type: 'string', const: 'about:blank' },
    title: { type: 'string', description: 'The HTTP status text' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'The tRPC error code, e.g. NOT_FOUND' },
    detail: { type: 'string', description: 'What went wrong, for a person' },
    fieldErrors: {
      type: 'object',
      description: 'Input field -> messages, for invalid input',
      additionalProperties: { type: 'array', items: { type: 'string' } },
    },
  },
  required: ['type', 'title', 'status', 'code', 'detail'],
}

/** Where a route's input fields come from besides the path: the query string or a JSON body. */
export function takesQuery(route: RestRoute): boolean {
  return route.method === 'GET' || route.method === 'DELETE'
}

/** The names of a route's path parameters, e.g. `['vehicleId']`. */
export function pathParamsOf(route: RestRoute): string[] {
  return [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '')
}

/** The input of a route as JSON Schema (an object), or an empty object for no input. */
export function routeInputSchema(route: RestRoute): JsonSchema {
  const procedure = findProcedure(route.procedure)
  if (!procedure) throw new Error(`REST route ${route.path} names no procedure ${route.procedure}`)
  return procedure.input ? toJsonSchema(procedure.input, 'input') : { type: 'object' }
}

function operationOf(route: RestRoute): JsonSchema {
  const procedure = findProcedure(route.procedure)
  if (!procedure) throw new Error(`REST route ${route.path} names no procedure ${route.procedure}`)
  const expected = route.method === 'GET' ? 'query' : 'mutation'
  if (procedure.type !== expected) {
    throw new Error(`REST route ${route.method} ${route.path} needs a ${expected}`)
  }
  const input = routeInputSchema(route)
  const properties = (input.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((input.required ?? []) as string[])
  const pathParams = pathParamsOf(route)
  const parameters: JsonSchema[] = pathParams.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: properties[name] ?? { type: 'string' },
  }))
  const rest = Object.entries(properties).filter(([name]) => !pathParams.includes(name))
  let requestBody: JsonSchema | undefined
  if (takesQuery(route)) {
    for (const [name, schema] of rest) {
      const types = jsonTypesOf(schema)
      if (types.includes('object')) {
        throw new Error(`Query parameter ${name} of ${route.path} is an object: use a body`)
      }
      parameters.push({ name, in: 'query', required: required.has(name), schema })
    }
  } else if (rest.length > 0 || input.oneOf || input.anyOf) {
    const { properties: _p, required: _r, default: _d, ...others } = input
    const bodyRequired = [...required].filter((name) => !pathParams.includes(name))
    requestBody = {
      required: bodyRequired.length > 0,
      content: {
        'application/json': {
          schema: {
            ...others,
            type: 'object',
            properties: Object.fromEntries(rest),
            ...(bodyRequired.length > 0 ? { required: bodyRequired } : {}),
          },
        },
      },
    }
  }
  const scope = route.method === 'GET' ? 'read' : 'write'
  return {
    operationId: route.procedure,
    tags: [route.tag],
    summary: route.summary,
    description:
      `Calls the tRPC procedure \`${route.procedure}\`, with the same input, rules and answer. ` +
      `An API key needs scope \`${scope}\`.`,
    'x-fms-scope': scope,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [String(route.status)]: {
        description: route.status === 201 ? 'Created' : 'OK',
        content: {
          'application/json': {
            schema: procedure.output ? toJsonSchema(procedure.output, 'output') : {},
          },
        },
      },
      ...Object.fromEntries(
        Object.keys(ERROR_STATUSES).map((status) => [
          status,
          { $ref: `#/components/responses/Problem${status}` },
        ]),
      ),
    },
  }
}

/** The OpenAPI 3.1 document of the REST API, generated from the routes and their procedures. */
export function buildOpenApiDocument(version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {}
  for (const route of REST_ROUTES) {
    paths[route.path] ??= {}
    ;(paths[route.path] as Record<string, JsonSchema>)[route.method.toLowerCase()] =
      operationOf(route)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'FMS REST API',
      version,
      description:
        'The fleet, its telemetry, alerts and reports for integrators. Every route calls the ' +
        'tRPC procedure it names, so inputs, rules and answers are those of the web app. ' +
        'Authenticate with `Authorization: Bearer fmk_…` (an API key an admin creates; scope ' +
        '`read` or `write`) or a user access token. Lists answer `{ items, nextCursor }`: pass ' +
        '`nextCursor` as `cursor` for the next page until it is null. Times are ISO 8601.',
    },
    servers: [{ url: REST_BASE_PATH }],
    security: [{ bearer: [] }],
    tags: [...new Set(REST_ROUTES.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (`fmk_…`) or a user access token',
        },
      },
      schemas: { Problem: PROBLEM_SCHEMA },
      responses: Object.fromEntries(
        Object.entries(ERROR_STATUSES).map(([status, description]) => [
          `Problem${status}`,
          {
            description,
            content: {
              'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
            },
          },
        ]),
      ),
    },
  }
}
