import type { IncomingMessage, ServerResponse } from 'node:http'
import { type ApiDeps, bearerToken, type Context, createInnerContext } from '@fms/api'
import type { WebSocket } from 'ws'
import type { WsSessions } from './ws-sessions.ts'

/** The client address of a request (see `createClientAddress`). */
export type ClientAddress = (req: IncomingMessage) => string | null

/** The User-Agent header, bounded (it is shown in the audit log and the sessions list). */
export function userAgentOf(req: IncomingMessage): string | null {
  const value = req.headers['user-agent']
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 300) : null
}

/** Context of an HTTP call: the access token from `Authorization: Bearer`. */
export function createHttpContextFactory(deps: ApiDeps, clientAddress: ClientAddress) {
  return (opts: { req: IncomingMessage; res: ServerResponse }): Context =>
    createInnerContext(deps, {
      accessToken: bearerToken(opts.req.headers.authorization),
      clientIp: clientAddress(opts.req),
      userAgent: userAgentOf(opts.req),
      setHeader: (name, value) => {
        if (!opts.res.headersSent) opts.res.setHeader(name, value)
      },
    })
}

/**
 * Context of a WebSocket connection (created once per connection, when the client's
 * connectionParams arrive): the access token from `connectionParams.token`. `sessions` closes
 * the socket when the token expires or its user is removed or changed; procedures still check
 * the token on every call.
 */
export function createWsContextFactory(
  deps: ApiDeps,
  options: {
    clientAddress: ClientAddress
    sessions: WsSessions
    maxSubscriptionsPerUser: number
  },
) {
  return async (opts: {
    req: IncomingMessage
    res: WebSocket
    info: { connectionParams: Record<string, string | undefined> | null }
  }): Promise<Context> => {
    const token = opts.info.connectionParams?.token
    const accessToken = typeof token === 'string' && token.length < 4096 ? token : null
    const socket = opts.res
    await options.sessions.admit(socket, accessToken)
    return createInnerContext(deps, {
      accessToken,
      clientIp: options.clientAddress(opts.req),
      userAgent: userAgentOf(opts.req),
      connection: {
        socket,
        activeSubscriptions: 0,
        subscriptionsByUser: options.sessions.subscriptionsByUser,
        maxSubscriptionsPerUser: options.maxSubscriptionsPerUser,
      },
    })
  }
}
