import type { IncomingMessage, ServerResponse } from 'node:http'
import { AppError, bearerToken } from '@fms/api'
import { sqlStateCode } from '@fms/db'
import { isConnectionError, type TelemetryWriter, WriterUnavailableError } from '@fms/db/telemetry'
import { errorFields, logger } from '../logger.ts'
import type { Metrics } from '../metrics.ts'
import { bodyFormat, parsePoints, readBody } from './body.ts'
import type { DeviceAuthenticator } from './device-auth.ts'
import { type IngestLimits, ingestPoints } from './pipeline.ts'
import type { TokenBuckets } from './token-bucket.ts'

export interface IngestHandlerDeps {
  writer: TelemetryWriter
  auth: DeviceAuthenticator
  rateLimit: TokenBuckets
  metrics: Metrics
  limits: IngestLimits & { maxBodyBytes: number; maxPoints: number }
}

const UNAUTHORIZED = 'Invalid device token'
const RETRY_AFTER_SEC = { queue_full: 1, timeout: 2, database_down: 2, closing: 5 } as const

/**
 * `POST /api/telemetry`: raw HTTP, no framework. Answers 200 only after the accepted points are
 * committed; 4xx for input the device must fix; 429/503 with Retry-After for "try again".
 */
export function createIngestHandler(deps: IngestHandlerDeps) {
  async function handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    if (req.method !== 'POST') throw new AppError('METHOD_NOT_ALLOWED', 'Use POST')
    const format = bodyFormat(req)
    // With a header, a bad token is refused before the body is read.
    const headerToken =
      req.headers.authorization === undefined ? null : bearerToken(req.headers.authorization)
    if (req.headers.authorization !== undefined && !headerToken) {
      throw new AppError('UNAUTHORIZED', UNAUTHORIZED)
    }
    let identity = headerToken ? await deps.auth.authenticate(headerToken) : null
    if (headerToken && !identity) throw new AppError('UNAUTHORIZED', UNAUTHORIZED)
    const points = parsePoints(
      await readBody(req, deps.limits.maxBodyBytes),
      format,
      deps.limits.maxPoints,
    )
    identity ??= await deps.auth.authenticate(bodyToken(points))
    if (!identity) throw new AppError('UNAUTHORIZED', UNAUTHORIZED)
    if (!deps.rateLimit.take(identity.tokenId)) {
      throw new AppError('TOO_MANY_REQUESTS', 'Rate limit exceeded for this token', {
        retryAfterSec: 1,
      })
    }
    const { result, foreignDevicePoints } = await ingestPoints(
      deps.writer,
      identity,
      points,
      deps.limits,
    )
    // A token that serves none of the named devices is a bad credential for them (S14).
    if (points.length > 0 && foreignDevicePoints === points.length) {
      throw new AppError('UNAUTHORIZED', UNAUTHORIZED)
    }
    deps.metrics.countResult({ ...result, rejected: result.rejected.length })
    const isAllRejected = points.length > 0 && result.rejected.length === points.length
    return { status: isAllRejected ? 422 : 200, body: result }
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let status: number
    let body: unknown
    try {
      ;({ status, body } = await handle(req))
    } catch (error) {
      const appError = toAppError(error)
      status = appError.httpStatus
      body = { error: appError.message }
      if (appError.retryAfterSec !== undefined) {
        res.setHeader('Retry-After', String(appError.retryAfterSec))
      }
      if (status === 405) res.setHeader('Allow', 'POST')
      if (status === 413 || status === 401) res.setHeader('Connection', 'close')
    }
    deps.metrics.countRequest(status)
    res.statusCode = status
    res.setHeader('Content-Type', 'application/json; charset=utf-8')
    res.setHeader('Cache-Control', 'no-store')
    res.end(JSON.stringify(body))
    // Don't read the rest of a refused body: close the connection instead.
    if (!req.complete) res.once('finish', () => req.destroy())
  }
}

/** The original app's in-body `token`: every point must carry the same one. */
function bodyToken(points: readonly unknown[]): string | null {
  let token: string | null = null
  for (const point of points) {
    const value = (point as { token?: unknown } | null)?.token
    if (typeof value !== 'string') return null
    if (token !== null && token !== value) return null
    token = value
  }
  return token
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error
  if (error instanceof WriterUnavailableError) {
    return new AppError('SERVICE_UNAVAILABLE', error.message, {
      retryAfterSec: RETRY_AFTER_SEC[error.reason],
    })
  }
  // The database failing outside the writer (e.g. a token lookup) is the same "retry later".
  if (isConnectionError(error) || sqlStateCode(error) === '57014') {
    return new AppError('SERVICE_UNAVAILABLE', 'Database unreachable', {
      retryAfterSec: RETRY_AFTER_SEC.database_down,
    })
  }
  logger.error('ingestion failed', errorFields(error))
  return new AppError('INTERNAL', 'Internal server error')
}
