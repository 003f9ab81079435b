import type { IncomingMessage, ServerResponse } from 'node:http'
import { addressKey, bearerToken } from '@fms/api'
import { AppError } from '@fms/api/errors'
import type { TelemetryWriter } from '@fms/db/telemetry'
import type { ClientAddress } from '../context.ts'
import type { Metrics } from '../metrics.ts'
import { bodyFormat, parsePoints, readBody } from './body.ts'
import type { DeviceAuthenticator, DeviceIdentity } from './device-auth.ts'
import { type IngestLimits, ingestPoints } from './pipeline.ts'
import { sendAnswer, sendError, takeRate, UNAUTHORIZED } from './respond.ts'
import type { TokenBuckets } from './token-bucket.ts'

export interface IngestHandlerDeps {
  writer: TelemetryWriter
  auth: DeviceAuthenticator
  rateLimit: TokenBuckets
  /** Requests with no Authorization header (token in the body), per client address. */
  anonymousRateLimit: TokenBuckets
  clientAddress: ClientAddress
  metrics: Metrics
  limits: IngestLimits & { maxBodyBytes: number; maxPoints: number; anonymousMaxBodyBytes: number }
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
    // Without a header nothing is known about the sender until its body is parsed, so that work
    // is bounded per client address and in size before anything is read.
    if (
      !headerToken &&
      !deps.anonymousRateLimit.take(addressKey(deps.clientAddress(req) ?? 'unknown'))
    ) {
      throw new AppError('TOO_MANY_REQUESTS', 'Too many requests without a token', {
        retryAfterSec: 1,
      })
    }
    const maxBodyBytes = headerToken ? deps.limits.maxBodyBytes : deps.limits.anonymousMaxBodyBytes
    const points = parsePoints(await readBody(req, maxBodyBytes), format, deps.limits.maxPoints)
    const token = headerToken ?? bodyToken(points)
    identity ??= await deps.auth.authenticate(token)
    if (!identity || !token) throw new AppError('UNAUTHORIZED', UNAUTHORIZED)
    if (namesUnknownDevice(points, identity)) identity = await deps.auth.refresh(token, identity)
    takeRate(deps.rateLimit, identity.tokenId)
    const { result, foreignDevicePoints } = await ingestPoints(
      deps.writer,
      identity,
      points,
      deps.limits,
    )
    // A token that serves none of the named devices is a bad credential for them.
    if (points.length > 0 && foreignDevicePoints === points.length) {
      throw new AppError('UNAUTHORIZED', UNAUTHORIZED)
    }
    deps.metrics.countResult({ ...result, rejected: result.rejected.length })
    const isAllRejected = points.length > 0 && result.rejected.length === points.length
    return { status: isAllRejected ? 422 : 200, body: result }
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const { status, body } = await handle(req)
      sendAnswer(req, res, deps.metrics, status, JSON.stringify(body))
    } catch (error) {
      sendError(req, res, deps.metrics, error, (e) => JSON.stringify({ error: e.message }))
    }
  }
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
