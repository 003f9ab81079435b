import type { IncomingMessage, ServerResponse } from 'node:http'
import { AppError } from '@fms/api/errors'
import { sqlStateCode } from '@fms/db'
import { isConnectionError, WriterUnavailableError } from '@fms/db/telemetry'
import type { LingerLimits } from '../env.ts'
import { errorFields, logger } from '../logger.ts'
import type { Metrics } from '../metrics.ts'

/** The one answer for every kind of bad device credential. */
export const UNAUTHORIZED = 'Invalid device token'
const RETRY_AFTER_SEC = { queue_full: 1, timeout: 2, database_down: 2, closing: 5 } as const

/**
 * Writes an ingestion answer. An answer given before the body was read (a bad token, a body too
 * large, a type not accepted, a rate limit) is written whole at once, then the rest of the body is
 * read and discarded within `linger` before the connection closes: closing with unread bytes
 * makes the kernel reset the connection, and a client still writing would get EPIPE instead of
 * the answer (nginx's lingering close). Past the limits the connection is cut.
 */
export function sendAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: Metrics,
  linger: LingerLimits,
  status: number,
  body: string,
  contentType = 'application/json; charset=utf-8',
): void {
  metrics.countRequest(status)
  res.statusCode = status
  res.setHeader('Cache-Control', 'no-store')
  if (body) res.setHeader('Content-Type', contentType)
  if (req.complete || req.destroyed) {
    res.end(body)
    return
  }
  res.setHeader('Connection', 'close')
  res.setHeader('Content-Length', Buffer.byteLength(body))
  // The whole answer goes out now; `end` (which closes the connection) waits for the body.
  if (body) res.write(body)
  else res.flushHeaders()
  lingerThenClose(req, res, linger)
}

function lingerThenClose(req: IncomingMessage, res: ServerResponse, limits: LingerLimits): void {
  let discarded = 0
  let isStopped = false
  const stop = (isComplete: boolean) => {
    if (isStopped) return
    isStopped = true
    clearTimeout(total)
    clearTimeout(idle)
    req.off('data', onData)
    req.off('end', onEnd)
    req.off('close', onClose)
    res.end()
    // Cut: the client is told by a reset, which is the bound's price.
    if (!isComplete) req.socket.destroy()
  }
  const onData = (chunk: Buffer) => {
    discarded += chunk.length
    if (discarded > limits.maxBytes) stop(false)
    else idle.refresh()
  }
  const onEnd = () => stop(true)
  const onClose = () => stop(req.complete)
  const total = setTimeout(() => stop(false), limits.maxMs)
  const idle = setTimeout(() => stop(false), limits.idleMs)
  total.unref()
  idle.unref()
  req.on('data', onData)
  req.once('end', onEnd)
  req.once('close', onClose)
  req.resume()
}

/** Answers an error with its status from the one error table (and Retry-After where it applies). */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: Metrics,
  linger: LingerLimits,
  error: unknown,
  render: (error: AppError) => string,
  contentType?: string,
): void {
  const appError = toAppError(error)
  if (appError.retryAfterSec !== undefined) {
    res.setHeader('Retry-After', String(appError.retryAfterSec))
  }
  if (appError.httpStatus === 405) res.setHeader('Allow', 'POST')
  sendAnswer(req, res, metrics, linger, appError.httpStatus, render(appError), contentType)
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
