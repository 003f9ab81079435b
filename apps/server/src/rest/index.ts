import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  type ApiDeps,
  AppError,
  bearerToken,
  buildOpenApiDocument,
  callRestRoute,
  createInnerContext,
  matchRestRoute,
  problem,
  REST_BASE_PATH,
  type RestProblem,
} from '@fms/api'
import type { ClientAddress } from '../context.ts'
import { readBody } from '../ingest/body.ts'
import { errorFields, logger } from '../logger.ts'
import { handleCors } from '../security.ts'
import { renderDocsPage } from './docs-page.ts'

export const OPENAPI_PATH = '/api/openapi.json'
export const DOCS_PATH = '/api/docs'
const CORS_METHODS = 'GET, POST, PATCH, DELETE, OPTIONS'

/**
 * The REST API for integrators: `/api/v1/*` (each route calls its tRPC procedure through
 * `callRestRoute`), the OpenAPI 3.1 document at /api/openapi.json and a reference page at
 * /api/docs, both generated once at start from the same routes and schemas.
 */
export function createRestApi(options: {
  deps: ApiDeps
  clientAddress: ClientAddress
  corsOrigins: readonly string[]
  maxBodyBytes: number
  version: string
}) {
  const document = buildOpenApiDocument(options.version)
  const documentJson = JSON.stringify(document)
  const docsPage = renderDocsPage(document)

  function handles(path: string): boolean {
    return path === OPENAPI_PATH || path === DOCS_PATH || path.startsWith(`${REST_BASE_PATH}/`)
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname
    if (path === OPENAPI_PATH || path === DOCS_PATH) {
      if (handleCors(req, res, options.corsOrigins)) return
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD')
        return sendProblem(res, problem(405, 'METHOD_NOT_SUPPORTED', 'Use GET'))
      }
      const isDocument = path === OPENAPI_PATH
      res.statusCode = 200
      res.setHeader(
        'Content-Type',
        isDocument ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
      )
      res.setHeader('Cache-Control', 'no-cache')
      res.end(req.method === 'HEAD' ? undefined : isDocument ? documentJson : docsPage)
      return
    }
    if (handleCors(req, res, options.corsOrigins, CORS_METHODS)) return
    const match = matchRestRoute(req.method ?? 'GET', path.slice(REST_BASE_PATH.length))
    if (!match) return sendProblem(res, problem(404, 'NOT_FOUND', 'No such route'))
    if ('allowed' in match) {
      res.setHeader('Allow', match.allowed.join(', '))
      return sendProblem(
        res,
        problem(405, 'METHOD_NOT_SUPPORTED', `Use ${match.allowed.join(' or ')}`),
      )
    }
    const accessToken = bearerToken(req.headers.authorization)
    // Refused before a body is read; a present token is checked by the procedure, like over tRPC.
    if (!accessToken) {
      return sendProblem(
        res,
        problem(401, 'UNAUTHORIZED', 'Send Authorization: Bearer <API key or access token>'),
      )
    }
    let body: unknown
    try {
      body =
        match.route.method === 'GET' || match.route.method === 'DELETE'
          ? undefined
          : await readJsonBody(req, options.maxBodyBytes)
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      res.setHeader('Connection', 'close')
      return sendProblem(res, problem(error.httpStatus, error.code, error.message))
    }
    const ctx = createInnerContext(options.deps, {
      accessToken,
      clientIp: options.clientAddress(req),
      setHeader: (name, value) => {
        if (!res.headersSent) res.setHeader(name, value)
      },
      acceptsApiKeys: true,
    })
    const answer = await callRestRoute({
      ctx,
      route: match.route,
      pathParams: match.params,
      query: url.searchParams,
      body,
    })
    if ('problem' in answer) {
      if (answer.problem.cause !== undefined) {
        logger.error('rest call failed', {
          path: match.route.procedure,
          ...errorFields(answer.problem.cause),
        })
      }
      return sendProblem(res, answer.problem)
    }
    res.statusCode = answer.status
    res.setHeader('Content-Type', 'application/json; charset=utf-8')
    res.setHeader('Cache-Control', 'no-store')
    res.end(JSON.stringify(answer.body))
  }

  return { document, handles, handle }
}

function sendProblem(res: ServerResponse, answer: RestProblem): void {
  if (answer.status === 401) res.setHeader('WWW-Authenticate', 'Bearer')
  res.statusCode = answer.status
  res.setHeader('Content-Type', 'application/problem+json; charset=utf-8')
  res.setHeader('Cache-Control', 'no-store')
  res.end(JSON.stringify(answer.body))
}

/** The JSON body (undefined when empty): Content-Type application/json, at most `limit` bytes. */
async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = req.headers['content-length']
  const isEmpty = declared === '0' || (declared === undefined && !req.headers['transfer-encoding'])
  if (isEmpty) return undefined
  const [mediaType = ''] = (req.headers['content-type'] ?? '').split(';')
  if (mediaType.trim().toLowerCase() !== 'application/json') {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json')
  }
  if ((req.headers['content-encoding'] ?? 'identity').toLowerCase() !== 'identity') {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Compressed bodies are not accepted')
  }
  const raw = await readBody(req, limit)
  if (raw.length === 0) return undefined
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch {
    throw new AppError('BAD_REQUEST', 'The body is not valid JSON')
  }
}
