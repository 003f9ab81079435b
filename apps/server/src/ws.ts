import type { Server } from 'node:http'
import { type ApiDeps, appRouter, SharedFrame } from '@fms/api'
import { applyWSSHandler, type Encoder, jsonEncoder } from '@trpc/server/adapters/ws'
import { WebSocketServer } from 'ws'
import { createWsContextFactory } from './context.ts'
import type { ServerConfig } from './env.ts'
import { isOriginAllowed } from './security.ts'

/** Largest WebSocket message a client may send; subscriptions need only small requests. */
const MAX_WS_PAYLOAD_BYTES = 64 * 1024
const CLOSE_GRACE_MS = 1_000

/**
 * tRPC over WebSocket on the same port and path as HTTP (`/trpc`). The upgrade is refused for a
 * foreign Origin before any procedure can run.
 */
export function attachWebSockets(options: { server: Server; config: ServerConfig; deps: ApiDeps }) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD_BYTES })
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: createWsContextFactory(options.deps, options.config.trustProxy),
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
    experimental_encoder: sharedFrameEncoder,
  })

  options.server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (path !== '/trpc') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n')
      return
    }
    if (!isOriginAllowed(req.headers.origin, req, options.config.corsOrigins)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (client) => wss.emit('connection', client, req))
  })

  return {
    wss,
    /** Asks clients to reconnect (to another node), then closes what is left. */
    async close(): Promise<void> {
      handler.broadcastReconnectNotification()
      await new Promise((done) => setTimeout(done, wss.clients.size > 0 ? CLOSE_GRACE_MS : 0))
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((done) => wss.close(() => done()))
    },
  }
}

const FRAME_MARKER = '\u0000fms-frame\u0000'
const ENCODED_MARKER = JSON.stringify(FRAME_MARKER)

/**
 * JSON, except that a live frame (`SharedFrame`) is spliced in from its cached serialization:
 * a frame is serialized once, however many sockets it goes to.
 */
export const sharedFrameEncoder: Encoder = {
  encode(message) {
    // A tracked() event arrives as result.data.json = { id, data: <frame> } (superjson leaves
    // the class instance as it is); an untracked one as result.data.json = <frame>.
    const result = (message as { result?: { data?: { json?: unknown } } }).result
    const json = result?.data?.json
    const tracked = json as { id?: unknown; data?: unknown } | undefined
    const frame = json instanceof SharedFrame ? json : tracked?.data
    if (!(frame instanceof SharedFrame)) return JSON.stringify(message)
    const replaced = json instanceof SharedFrame ? FRAME_MARKER : { ...tracked, data: FRAME_MARKER }
    const envelope = JSON.stringify({
      ...(message as object),
      result: { ...result, data: { ...result?.data, json: replaced } },
    })
    return envelope.replace(ENCODED_MARKER, () => frame.json)
  },
  decode: jsonEncoder.decode,
}
