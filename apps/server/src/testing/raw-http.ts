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
