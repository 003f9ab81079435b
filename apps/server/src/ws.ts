import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { type ApiDeps, addressKey, appRouter, PreEncoded } from '@fms/api'
import { applyWSSHandler, type Encoder, jsonEncoder } from '@trpc/server/adapters/ws'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import { type ClientAddress, createWsContextFactory } from './context.ts'
import type { ServerConfig } from './env.ts'
import { isOriginAllowed } from './security.ts'
import { WsSessions } from './ws-sessions.ts'

/** Largest WebSocket message a client may send; subscriptions need only small requests. */
const MAX_WS_PAYLOAD_BYTES = 64 * 1024
const CLOSE_GRACE_MS = 1_000
/** Close code for a message that breaks a limit (RFC 6455 "policy violation"). */
const CLOSE_POLICY_VIOLATION = 1008

/**
 * tRPC over WebSocket on the same port and path as HTTP (`/trpc`). Before the upgrade: a foreign
 * Origin is refused, and so is a socket over the limits per client address and per node. After
 * it: the socket must sign in within a few seconds, closes when its token expires or its user
 * changes (`WsSessions`), and a message batching more calls than `maxBatchSize` closes it.
 */
export function attachWebSockets(options: {
  server: Server
  config: ServerConfig
  deps: ApiDeps
  clientAddress: ClientAddress
}) {
  const { config } = options
  const limits = config.websocket
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD_BYTES })
  const sessions = new WsSessions(options.deps, {
    authTimeoutMs: limits.authTimeoutMs,
    checkMs: limits.sessionCheckMs,
  })
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: createWsContextFactory(options.deps, {
      clientAddress: options.clientAddress,
      sessions,
      maxSubscriptionsPerUser: limits.maxSubscriptionsPerUser,
    }),
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
    experimental_encoder: sharedFrameEncoder,
  })
  const perAddress = new Map<string, number>()
  let connections = 0

  options.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (path !== '/trpc') return refuse(socket, '404 Not Found')
    if (!isOriginAllowed(req.headers.origin, req, config.corsOrigins)) {
      return refuse(socket, '403 Forbidden')
    }
    const address = addressKey(options.clientAddress(req) ?? 'unknown')
    const held = perAddress.get(address) ?? 0
    if (held >= limits.maxConnectionsPerAddress) return refuse(socket, '429 Too Many Requests')
    if (connections >= limits.maxConnections) return refuse(socket, '503 Service Unavailable')
    // Counted from here, so parallel upgrades can't all pass the checks above; given back when
    // the TCP socket closes (the WebSocket's own, or a failed handshake's).
    connections++
    perAddress.set(address, held + 1)
    socket.once('close', () => {
      connections--
      const left = (perAddress.get(address) ?? 1) - 1
      if (left > 0) perAddress.set(address, left)
      else perAddress.delete(address)
    })
    wss.handleUpgrade(req, socket, head, (client) => {
      sessions.expectToken(client)
      limitBatches(client, config.maxBatchSize)
      wss.emit('connection', client, req)
    })
  })

  return {
    wss,
    /** Asks clients to reconnect (to another node), then closes what is left. */
    async close(): Promise<void> {
      sessions.close()
      handler.broadcastReconnectNotification()
      await new Promise((done) => setTimeout(done, wss.clients.size > 0 ? CLOSE_GRACE_MS : 0))
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((done) => wss.close(() => done()))
    },
  }
}

/** Answers a refused upgrade and drops the socket (HTTP timeouts no longer guard it). */
function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  setTimeout(() => socket.destroy(), 1000).unref()
}

/**
 * A message may batch calls (a JSON array); one with more than `max` closes the socket before
 * tRPC sees it. tRPC's listener is attached after this, so the message is withheld by wrapping
 * `emit` for "message" on this one socket.
 */
function limitBatches(client: WebSocket, max: number): void {
  const emit = client.emit.bind(client)
  client.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'message' && countCalls(args[0] as RawData) > max) {
      client.close(CLOSE_POLICY_VIOLATION, `At most ${max} calls per message`)
      return false
    }
    return emit(event, ...args)
  }) as WebSocket['emit']
}

function countCalls(data: RawData): number {
  const text = Array.isArray(data) ? Buffer.concat(data).toString() : data.toString()
  if (!text.trimStart().startsWith('[')) return 1
  try {
    const parsed: unknown = JSON.parse(text)
    return Array.isArray(parsed) ? parsed.length : 1
  } catch {
    return 1
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
    const frame = json instanceof PreEncoded ? json : tracked?.data
    if (!(frame instanceof PreEncoded)) return JSON.stringify(message)
    const replaced = json instanceof PreEncoded ? FRAME_MARKER : { ...tracked, data: FRAME_MARKER }
    const envelope = JSON.stringify({
      ...(message as object),
      result: { ...result, data: { ...result?.data, json: replaced } },
    })
    return envelope.replace(ENCODED_MARKER, () => frame.json)
  },
  decode: jsonEncoder.decode,
}
