import { isUtf8 } from 'node:buffer'
import type { IncomingMessage } from 'node:http'
import { AppError } from '@fms/api/errors'

const JSON_TYPES = new Set(['application/json'])
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl'])

export type BodyFormat = 'json' | 'ndjson'

/** The body's format from Content-Type; 415 for anything else (and for compressed bodies). */
export function bodyFormat(req: IncomingMessage): BodyFormat {
  // `split` always gives at least one part: the media type before any parameters.
  const [mediaType = ''] = (req.headers['content-type'] ?? '').split(';')
  const type = mediaType.trim().toLowerCase()
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase()
  if (encoding !== 'identity') {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Compressed bodies are not accepted')
  }
  if (JSON_TYPES.has(type)) return 'json'
  if (NDJSON_TYPES.has(type)) return 'ndjson'
  throw new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    'Content-Type must be application/json or application/x-ndjson',
  )
}

/**
 * Reads the body up to `limit` bytes. A declared Content-Length over the limit is refused before
 * reading anything; a chunked body is cut off as soon as it passes the limit.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    throw new AppError('PAYLOAD_TOO_LARGE', `Body over ${limit} bytes`)
  }
  const chunks: Buffer[] = []
  let size = 0
  // Not destroyed when the limit stops the loop: the answer lingers over the rest (respond.ts).
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length
    if (size > limit) throw new AppError('PAYLOAD_TOO_LARGE', `Body over ${limit} bytes`)
    chunks.push(chunk as Buffer)
  }
  const [only] = chunks
  return chunks.length === 1 && only ? only : Buffer.concat(chunks, size)
}

/** The body as a list of raw points (one object, an array, or one object per NDJSON line). */
export function parsePoints(body: Buffer, format: BodyFormat, maxPoints: number): unknown[] {
  // Validated first (fast, in native code), then decoded without a second check; a leading BOM
  // is dropped, as a decoder would.
  if (!isUtf8(body)) throw new AppError('BAD_REQUEST', 'Body is not valid UTF-8')
  const hasBom = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf
  const text = body.toString('utf8', hasBom ? 3 : 0)
  let points: unknown[]
  if (format === 'ndjson') {
    points = []
    let line = 0
    for (const raw of text.split('\n')) {
      line++
      if (raw.trim() === '') continue
      points.push(parseJson(raw, `line ${line}`))
      if (points.length > maxPoints) break
    }
  } else {
    const value = parseJson(text, 'body')
    points = Array.isArray(value) ? value : [value]
  }
  if (points.length > maxPoints) {
    throw new AppError('PAYLOAD_TOO_LARGE', `At most ${maxPoints} points per request`)
  }
  return points
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new AppError('BAD_REQUEST', `Malformed JSON in ${where}`)
  }
}
