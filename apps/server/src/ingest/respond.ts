import type { IncomingMessage, ServerResponse } from 'node:http'
import { AppError } from '@fms/api/errors'
import { sqlStateCode } from '@fms/db'
import { isConnectionError, WriterUnavailableError } from '@fms/db/telemetry'
import { errorFields, logger } from '../logger.ts'
import type { Metrics } from '../metrics.ts'
import type { TokenBuckets } from './token-bucket.ts'

/** The one answer for every kind of bad device credential. */
export const UNAUTHORIZED = 'Invalid device token'
const RETRY_AFTER_SEC = { queue_full: 1, timeout: 2, database_down: 2, closing: 5 } as const

/** Counts a request against its token's rate; 429 with Retry-After beyond it. */
export function takeRate(rateLimit: TokenBuckets, tokenId: string): void {
  if (!rateLimit.take(tokenId)) {
    throw new AppError('TOO_MANY_REQUESTS', 'Rate limit exceeded for this token', {
      retryAfterSec: 1,
    })
  }
}

/** Writes an ingestion answer; a refused body is not read further (the connection closes). */
export function sendAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: Metrics,
  status: number,
  body: string,
  contentType = 'application/json; charset=utf-8',
): void {
  metrics.countRequest(status)
  res.statusCode = status
  res.setHeader('Cache-Control', 'no-store')
  if (body) res.setHeader('Content-Type', contentType)
  res.end(body)
  if (!req.complete) res.once('finish', () => req.destroy())
}

/** Answers an error with its status from the one error table (and Retry-After where it applies). */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: Metrics,
  error: unknown,
  render: (error: AppError) => string,
  contentType?: string,
): void {
  const appError = toAppError(error)
  if (appError.retryAfterSec !== undefined) {
    res.setHeader('Retry-After', String(appError.retryAfterSec))
  }
  if (appError.httpStatus === 405) res.setHeader('Allow', 'POST')
  if (appError.httpStatus === 413 || appError.httpStatus === 401)
    res.setHeader('Connection', 'close')
  sendAnswer(req, res, metrics, appError.httpStatus, render(appError), contentType)
}

export function toAppError(error: unknown): AppError {
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
