import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  at: number
  path: string
  headers: IncomingHttpHeaders
  body: string
}

/** A local receiver answering with the next status of `script` (then 200). */
export async function startReceiver(script: number[] = []) {
  const received: Received[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8')
    })
    req.on('end', () => {
      received.push({ at: Date.now(), path: req.url ?? '', headers: req.headers, body })
      const status = script.shift() ?? 200
      if (status >= 300 && status < 400) res.setHeader('Location', '/elsewhere')
      res.writeHead(status).end(status >= 500 ? 'x'.repeat(2000) : 'ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
