import type { IncomingMessage, ServerResponse } from 'node:http'
import { addressKey, bearerToken } from '@fms/api'
import { AppError } from '@fms/api/errors'
import type { TelemetryWriter } from '@fms/db/telemetry'
import type { CommandDelivery } from '../commands/delivery.ts'
import type { ClientAddress } from '../context.ts'
import type { LingerLimits } from '../env.ts'
import type { Metrics } from '../metrics.ts'
import { bodyFormat, parsePoints, readBody } from './body.ts'
import type { DeviceAuthenticator, DeviceIdentity } from './device-auth.ts'
import { type IngestLimits, ingestPoints } from './pipeline.ts'
import type { IngestRateLimits } from './rate-limits.ts'
import { sendAnswer, sendError, toAppError, UNAUTHORIZED } from './respond.ts'
import type { TokenBuckets } from './token-bucket.ts'

const ANONYMOUS_REFUSAL = 'Too many failed requests without a token'

export interface IngestHandlerDeps {
  writer: TelemetryWriter
  /** Commands queued for devices: handed out in OsmAnd answers and on the MQTT downlink. */
  commands: CommandDelivery
  auth: DeviceAuthenticator
  rateLimits: IngestRateLimits
  /**
   * Requests with no Authorization header (token in the body), per client address: each takes a
   * token before its body is read, and gives it back when it succeeds, so only failures (a bad
   * token or body) use the budget.
   */
  anonymousRateLimit: TokenBuckets
  clientAddress: ClientAddress
  metrics: Metrics
  limits: IngestLimits & {
    maxBodyBytes: number
    maxPoints: number
    anonymousMaxBodyBytes: number
    linger: LingerLimits
  }
}

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
    if (identity) deps.rateLimits.admitToken(identity)
    // Without a header nothing is known about the sender until its body is parsed, so that work
    // is bounded in size, and per client address: each such request takes a token up front (so
    // concurrent requests can't slip past the budget) that a request which succeeds gives back.
    if (!headerToken && !deps.anonymousRateLimit.take(anonymousKey(req))) {
      throw new AppError('TOO_MANY_REQUESTS', ANONYMOUS_REFUSAL, {
        retryAfterSec: 1,
      })
    }
    const maxBodyBytes = headerToken ? deps.limits.maxBodyBytes : deps.limits.anonymousMaxBodyBytes
    let points = parsePoints(await readBody(req, maxBodyBytes), format, deps.limits.maxPoints)
    const token = headerToken ?? bodyToken(points)
    if (!identity) {
      identity = await deps.auth.authenticate(token)
      if (identity) deps.rateLimits.admitToken(identity)
    }
    if (!identity || !token) throw new AppError('UNAUTHORIZED', UNAUTHORIZED)
    if (namesUnknownDevice(points, identity)) identity = await deps.auth.refresh(token, identity)
    const pointCount = points.length
    const ingesting = ingestPoints(deps.writer, identity, points, deps.limits, (deviceIds) =>
      deps.rateLimits.admitDevices(deviceIds),
    )
    // Let go of the parsed objects while the batch commits (see ingestPoints): an async
    // function's suspended frame keeps its locals.
    points = []
    const { result, foreignDevicePoints } = await ingesting
    // A token that serves none of the named devices is a bad credential for them.
    if (pointCount > 0 && foreignDevicePoints === pointCount) {
      throw new AppError('UNAUTHORIZED', UNAUTHORIZED)
    }
    deps.metrics.countResult({ ...result, rejected: result.rejected.length })
    const isAllRejected = pointCount > 0 && result.rejected.length === pointCount
    return { status: isAllRejected ? 422 : 200, body: result }
  }

  function anonymousKey(req: IncomingMessage): string {
    return addressKey(deps.clientAddress(req) ?? 'unknown')
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const { status, body } = await handle(req)
      if (req.headers.authorization === undefined) deps.anonymousRateLimit.refund(anonymousKey(req))
      sendAnswer(req, res, deps.metrics, deps.limits.linger, status, JSON.stringify(body))
    } catch (error) {
      // A request refused for the server's reasons (rate limits, 503) does not count as failed.
      const appError = toAppError(error)
      const isClientFault = appError.httpStatus < 500 && appError.httpStatus !== 429
      if (req.headers.authorization === undefined && !isClientFault && !isAnonymousRefusal(error)) {
        deps.anonymousRateLimit.refund(anonymousKey(req))
      }
      sendError(req, res, deps.metrics, deps.limits.linger, appError, (e) =>
        JSON.stringify({ error: e.message }),
      )
    }
  }
}

/** The 429 of the per-address budget itself: its token was never taken. */
function isAnonymousRefusal(error: unknown): boolean {
  return error instanceof AppError && error.message === ANONYMOUS_REFUSAL
}

function namesUnknownDevice(points: readonly unknown[], identity: DeviceIdentity): boolean {
  return points.some((point) => {
    const p = point as { device_id?: unknown; iot_id?: unknown } | null
    const id = p?.device_id ?? p?.iot_id
    return typeof id === 'string' && !identity.devices.has(id)
  })
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
