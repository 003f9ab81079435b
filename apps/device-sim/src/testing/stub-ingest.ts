import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ZTelemetryPointWire } from '@fms/api/schemas'

/** A scripted answer instead of the normal 200 (e.g. 503 with Retry-After). */
export interface StubAnswer {
  status: number
  headers?: Record<string, string>
}

export interface StubRequest {
  /** performance.now() when the request arrived. */
  at: number
  status: number
  points: number
}

/**
 * A stand-in for POST /api/telemetry on node:http: checks the bearer token and each point
 * against the shared schema, stores points once per (device_id, time) like the real server,
 * and can be scripted to fail or be taken down (connections refused) and brought back.
 */
export async function startStubIngest(
  options: { token?: string; answer?: (index: number) => StubAnswer | null } = {},
) {
  const token = options.token ?? 'fmd_stub_secret'
  /** How often each point (`device@time`) was stored: 1 for every point, if nothing went wrong. */
  const stored = new Map<string, number>()
  const requests: StubRequest[] = []

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(body))
    }
    const index = requests.length
    const points = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[]
    const scripted = options.answer?.(index) ?? null
    const status = scripted?.status ?? (req.headers.authorization === `Bearer ${token}` ? 200 : 401)
    requests.push({ at: performance.now(), status, points: points.length })
    if (status !== 200) return reply(status, { error: 'scripted' }, scripted?.headers)
    let accepted = 0
    let duplicates = 0
    const rejected: { index: number; error: string }[] = []
    points.forEach((point, i) => {
      const parsed = ZTelemetryPointWire.safeParse(point)
      if (!parsed.success) {
        rejected.push({ index: i, error: parsed.error.message })
        return
      }
      const key = `${parsed.data.device_id}@${parsed.data.time}`
      if (stored.has(key)) duplicates++
      else accepted++
      stored.set(key, (stored.get(key) ?? 0) + 1)
    })
    reply(200, { accepted, duplicates, rejected })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy())
  })
  const listen = (port: number) =>
    new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()))
  await listen(0)
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    stored,
    requests,
    /** Refuses connections (an outage) until `bringUp`. */
    takeDown: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
    bringUp: () => listen(port),
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

export type StubIngest = Awaited<ReturnType<typeof startStubIngest>>
