import { type IncomingHttpHeaders, request } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'

export interface RawAnswer {
  status: number
  headers: IncomingHttpHeaders
  text: string
}

/**
 * A POST whose body is sent (or not) under the test's control, through `node:http` instead of
 * `fetch`, which always sends the whole body first. `send` writes to the request until it
 * returns; the promise resolves with the answer, or rejects when none arrives in `timeoutMs`.
 */
function rawPost(
  url: string,
  headers: Record<string, string>,
  send: (write: (chunk: Buffer) => boolean, isAnswered: () => boolean) => Promise<void>,
  timeoutMs: number,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers })
    let isAnswered = false
    const timer = setTimeout(() => {
      req.destroy()
      reject(new Error(`no answer within ${timeoutMs} ms`))
    }, timeoutMs)
    req.on('response', (res) => {
      isAnswered = true
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      const done = () => {
        clearTimeout(timer)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text })
        req.destroy()
      }
      res.on('end', done)
      res.on('error', done)
    })
    req.on('error', (error) => {
      // Once answered, the server may cut the upload short: that is the point.
      if (isAnswered) return
      clearTimeout(timer)
      reject(error)
    })
    req.flushHeaders()
    send(
      (chunk) => req.write(chunk),
      () => isAnswered || req.destroyed,
    ).catch(() => {})
  })
}

/** Sends only the request head (declaring whatever Content-Length it says) and waits. */
export function postHeadersOnly(
  url: string,
  headers: Record<string, string>,
  timeoutMs = 5000,
): Promise<RawAnswer> {
  return rawPost(url, headers, async () => {}, timeoutMs)
}

/** Streams a chunked body, `chunk` after `chunk`, until the server answers (or `maxChunks`). */
export function postChunkedUntilAnswered(
  url: string,
  headers: Record<string, string>,
  options: { chunk: Buffer; maxChunks: number; intervalMs?: number; timeoutMs?: number },
): Promise<RawAnswer> {
  return rawPost(
    url,
    { ...headers, 'transfer-encoding': 'chunked' },
    async (write, isAnswered) => {
      for (let i = 0; i < options.maxChunks && !isAnswered(); i++) {
        write(options.chunk)
        await sleep(options.intervalMs ?? 2)
      }
    },
    options.timeoutMs ?? 10_000,
  )
}

export interface UploadOutcome {
  /** The answer's status, when one arrived. */
  status: number | null
  text: string
  /** The client's error code (EPIPE, ECONNRESET, ...), when the upload or the answer failed. */
  error: string | null
}

/**
 * Uploads `body` whole the way a plain Node client does (writes it all, then reads the answer),
 * and reports both what it received and any error it met: a server that answers early and then
 * closes with the body unread makes such a client fail with EPIPE or ECONNRESET.
 */
export function uploadWhole(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  options: { isChunked?: boolean; timeoutMs?: number } = {},
): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    const outcome: UploadOutcome = { status: null, text: '', error: null }
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: options.isChunked
        ? { ...headers, 'transfer-encoding': 'chunked' }
        : { ...headers, 'content-length': String(body.length) },
    })
    const timer = setTimeout(() => req.destroy(new Error('timeout')), options.timeoutMs ?? 30_000)
    req.on('response', (res) => {
      outcome.status = res.statusCode ?? 0
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        outcome.text += chunk
      })
      res.on('error', (error: NodeJS.ErrnoException) => {
        outcome.error ??= error.code ?? error.message
      })
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      outcome.error ??= error.code ?? error.message
    })
    req.on('close', () => {
      clearTimeout(timer)
      resolve(outcome)
    })
    if (options.isChunked) {
      for (let at = 0; at < body.length; at += 1 << 20) req.write(body.subarray(at, at + (1 << 20)))
      req.end()
    } else {
      req.end(body)
    }
  })
}
