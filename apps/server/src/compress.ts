import type { IncomingMessage, ServerResponse } from 'node:http'
import { constants } from 'node:zlib'
import compression from 'compression'

/** Answers smaller than this go as they are: compressing them saves nothing worth the CPU. */
export const COMPRESS_MIN_BYTES = 16 * 1024

/**
 * gzip, brotli or deflate for the API's JSON answers when the client accepts it: a fleet's month of
 * daily summaries is ~9 MB of JSON and ~0.5 MB compressed, which is what a browser on a real
 * network waits for, and less for the server to write. The fastest level: JSON is repetitive
 * enough that it already shrinks ~17x (~15 ms for 9 MB), and the CPU is shared with ingestion.
 *
 * The expressjs `compression` middleware, not hand-written zlib piping: it handles
 * Accept-Encoding, `Vary`, HEAD, Content-Length, the size threshold and `res.flush()` (which
 * tRPC's adapter calls after each chunk), and works on plain `node:http` objects.
 *
 * BREACH needs an attacker's text reflected next to a secret in an answer the victim's browser
 * is made to fetch with its credentials; this API's credentials are bearer tokens the browser
 * never attaches by itself, and answers that carry a secret (new tokens, keys) are far below
 * the threshold.
 */
const middleware = compression({
  threshold: COMPRESS_MIN_BYTES,
  level: constants.Z_BEST_SPEED,
  // Brotli (HTTPS browsers ask for it first) at its fastest too: as fast as gzip's, a bit smaller.
  brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } },
  // The middleware sizes an answer by its Content-Length or a body given to `end()`; tRPC
  // writes its body with `write()` and no length, so the first chunk's size decides here.
  filter: (req, res) => {
    const first = firstChunkBytes.get(res)
    return (first === undefined || first >= COMPRESS_MIN_BYTES) && compression.filter(req, res)
  },
})

/** The size of the first chunk written to each answer being compressed. */
const firstChunkBytes = new WeakMap<object, number>()

/** Makes `res` compress what is written to it from now on, when the request accepts it. */
export function compressAnswer(req: IncomingMessage, res: ServerResponse): void {
  // The middleware only patches `res` and calls `next` at once, synchronously.
  middleware(
    req as Parameters<typeof middleware>[0],
    res as Parameters<typeof middleware>[1],
    () => {},
  )
  const write = res.write
  res.write = function writeFirst(this: ServerResponse, ...args: Parameters<typeof write>) {
    const [chunk] = args
    if (!firstChunkBytes.has(res)) {
      firstChunkBytes.set(
        res,
        typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).byteLength,
      )
    }
    return write.apply(this, args)
  } as typeof write
}
