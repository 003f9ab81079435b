import type { IncomingMessage, ServerResponse } from 'node:http'
import { type ApiDeps, bearerToken, type Context, createInnerContext } from '@fms/api'
import type { WebSocket } from 'ws'

/**
 * The client address: the socket's peer, or — only with TRUST_PROXY behind a load balancer —
 * the address the proxy appended last to X-Forwarded-For (the one it saw; earlier entries are
 * whatever the client claimed).
 */
export function clientIp(req: IncomingMessage, trustProxy = false): string | null {
  const forwarded = req.headers['x-forwarded-for']
  if (trustProxy && typeof forwarded === 'string') {
    const last = forwarded.split(',').at(-1)?.trim()
    if (last) return last
  }
  return req.socket.remoteAddress ?? null
}

/** Context of an HTTP call: the access token from `Authorization: Bearer`. */
export function createHttpContextFactory(deps: ApiDeps, trustProxy = false) {
  return (opts: { req: IncomingMessage; res: ServerResponse }): Context =>
    createInnerContext(deps, {
      accessToken: bearerToken(opts.req.headers.authorization),
      clientIp: clientIp(opts.req, trustProxy),
      setHeader: (name, value) => {
        if (!opts.res.headersSent) opts.res.setHeader(name, value)
      },
    })
}

/** Close code sent when the access token a socket was opened with expires. */
export const WS_CLOSE_TOKEN_EXPIRED = 4001

/**
 * Context of a WebSocket connection (created once per connection): the access token from
 * `connectionParams.token`. A socket opened with a valid token is closed when that token
 * expires, so the client reconnects with a fresh one; procedures still check the token on use.
 */
export function createWsContextFactory(deps: ApiDeps, trustProxy = false) {
  return async (opts: {
    req: IncomingMessage
    res: WebSocket
    info: { connectionParams: Record<string, string | undefined> | null }
  }): Promise<Context> => {
    const token = opts.info.connectionParams?.token
    const accessToken = typeof token === 'string' && token.length < 4096 ? token : null
    const socket = opts.res
    if (accessToken) {
      const claims = await deps.jwt.verifyAccessToken(accessToken).catch(() => null)
      if (claims) {
        const timer = setTimeout(
          () => socket.close(WS_CLOSE_TOKEN_EXPIRED, 'Access token expired'),
          Math.max(0, claims.exp * 1000 - Date.now()),
        )
        socket.once('close', () => clearTimeout(timer))
      }
    }
    return createInnerContext(deps, {
      accessToken,
      clientIp: clientIp(opts.req, trustProxy),
      connection: { socket, activeSubscriptions: 0 },
    })
  }
}
