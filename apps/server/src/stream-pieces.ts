import type { ServerResponse } from 'node:http'

/**
 * Writes each piece to the response, waiting for the socket to drain before asking for the next,
 * so a slow client holds back whatever produces the pieces; then ends it. Leaving the loop early
 * (the client went away) ends the generator: no further piece is produced.
 */
export async function streamPieces(
  res: ServerResponse,
  pieces: AsyncIterable<string>,
): Promise<void> {
  for await (const piece of pieces) {
    if (res.destroyed) break
    if (!res.write(piece)) await drained(res)
  }
  res.end()
}

/** Resolves when the response can take more, or when its connection is gone. */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}
