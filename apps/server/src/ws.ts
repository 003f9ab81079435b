import type { Server } from 'node:http'
import { appRouter, type Context } from '@fms/api'
import { applyWSSHandler } from '@trpc/server/adapters/ws'
import { WebSocketServer } from 'ws'
import type { ServerConfig } from './env.ts'
import { isOriginAllowed } from './security.ts'

/** Largest WebSocket message a client may send; subscriptions need only small requests. */
const MAX_WS_PAYLOAD_BYTES = 64 * 1024
const CLOSE_GRACE_MS = 1_000

/**
 * tRPC over WebSocket on the same port and path as HTTP (`/trpc`). The upgrade is refused for a
 * foreign Origin before any procedure can run.
 */
export function attachWebSockets(options: {
  server: Server
  config: ServerConfig
  createContext: (opts: {
    req: import('node:http').IncomingMessage
    info: { connectionParams: Record<string, string | undefined> | null }
  }) => Context
}) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD_BYTES })
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: options.createContext,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
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
