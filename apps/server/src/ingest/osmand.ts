import type { IncomingMessage, ServerResponse } from 'node:http'
import { AppError } from '@fms/api/errors'
import type { TCommandAck, TCommandMessage } from '@fms/api/schemas'
import { readAck } from '../commands/delivery.ts'
import { readBody } from './body.ts'
import type { IngestHandlerDeps } from './handler.ts'
import {
  OsmandFormatError,
  type OsmandPoint,
  parseOsmandJson,
  parseOsmandParams,
} from './osmand-parse.ts'
import { ingestPoints } from './pipeline.ts'
import { sendAnswer, sendError, UNAUTHORIZED } from './respond.ts'

export const OSMAND_PATH_PREFIX = '/osmand/'

/**
 * The OsmAnd / Traccar Client protocol on `/osmand/<device token>`: any method; fields in the
 * query string, a form body, or the JSON body. 200 with an empty body once the point is stored,
 * 4xx otherwise (the client keeps the point and retries), 503 + Retry-After when it can't commit.
 * Unlike Traccar, the tracker id alone is never enough: the token in the configured server URL
 * must serve the device whose `externalId` the tracker reports.
 */
export function createOsmandHandler(deps: IngestHandlerDeps) {
  /** Stores the point, records a command answer it carries, and takes the device's next command. */
  async function handle(req: IncomingMessage, url: URL): Promise<TCommandMessage | null> {
    const token = decodeToken(url.pathname.slice(OSMAND_PATH_PREFIX.length))
    let identity = await deps.auth.authenticate(token)
    if (!identity || !token) throw new AppError('UNAUTHORIZED', UNAUTHORIZED)
    deps.rateLimits.admitToken(identity)
    const parsed = await parseRequest(req, url, deps.limits.maxBodyBytes)
    if (!identity.devicesByExternalId.has(parsed.externalId)) {
      identity = await deps.auth.refresh(token, identity)
    }
    const device = identity.devicesByExternalId.get(parsed.externalId)
    // An id the token does not serve gets the same answer as a bad token (ids can't be probed).
    if (!device) throw new AppError('UNAUTHORIZED', UNAUTHORIZED)
    const { result } = await ingestPoints(
      deps.writer,
      identity,
      [{ ...parsed.point, device_id: device.id }],
      deps.limits,
      (deviceIds) => deps.rateLimits.admitDevices(deviceIds),
    )
    deps.metrics.countResult({ ...result, rejected: result.rejected.length })
    const rejection = result.rejected[0]
    if (rejection) throw new AppError('BAD_REQUEST', rejection.error)
    if (parsed.ack) await deps.commands.answer(device.id, parsed.ack)
    return deps.commands.take(device.id, 'osmand')
  }

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    try {
      const command = await handle(req, url)
      // As Traccar does: a pending command rides in the answer's body (JSON: id, type, payload).
      sendAnswer(
        req,
        res,
        deps.metrics,
        deps.limits.linger,
        200,
        command ? JSON.stringify(command) : '',
      )
    } catch (error) {
      const cause =
        error instanceof OsmandFormatError ? new AppError('BAD_REQUEST', error.message) : error
      sendError(
        req,
        res,
        deps.metrics,
        deps.limits.linger,
        cause,
        (e) => e.message,
        'text/plain; charset=utf-8',
      )
    }
  }
}

function decodeToken(raw: string): string | null {
  try {
    return decodeURIComponent(raw.replace(/\/+$/, ''))
  } catch {
    return null
  }
}

/**
 * The point, and the answer to a command it carries: `ack=<command id>`, with `ackError=<reason>`
 * when the device could not carry it out (`ackResult=<text>` for what it answered otherwise).
 */
async function parseRequest(
  req: IncomingMessage,
  url: URL,
  limit: number,
): Promise<OsmandPoint & { ack: TCommandAck | null }> {
  const body = await readBody(req, limit)
  const [mediaType = ''] = (req.headers['content-type'] ?? '').split(';')
  const type = mediaType.trim().toLowerCase()
  if (body.length > 0 && type === 'application/json') {
    let json: unknown
    try {
      json = JSON.parse(body.toString('utf8'))
    } catch {
      throw new AppError('BAD_REQUEST', 'Malformed JSON')
    }
    const ack = json && typeof json === 'object' ? (json as { ack?: unknown }).ack : undefined
    return { ...parseOsmandJson(json), ack: readAck(ack) }
  }
  const params = new URLSearchParams(url.search)
  if (body.length > 0) {
    if (type !== 'application/x-www-form-urlencoded' && type !== 'text/plain' && type !== '') {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send a form, JSON, or query-string fields')
    }
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.append(key, value)
  }
  const ack = takeAck(params)
  return { ...parseOsmandParams(params), ack }
}

/** Takes the ack parameters out (they are not attributes of the point). */
function takeAck(params: URLSearchParams): TCommandAck | null {
  const id = params.get('ack')
  const error = params.get('ackError')
  const result = params.get('ackResult')
  params.delete('ack')
  params.delete('ackError')
  params.delete('ackResult')
  if (id === null) return null
  return readAck({ id, ok: error === null, result: (error ?? result ?? undefined)?.slice(0, 500) })
}
