import type { IncomingMessage } from 'node:http'
import { type ApiDeps, bearerToken, type Context, createInnerContext } from '@fms/api'

/** The client address: the socket's peer. Proxy headers are not trusted by default. */
export function clientIp(req: IncomingMessage): string | null {
  return req.socket.remoteAddress ?? null
}

/** One context factory for HTTP calls (Authorization header) and WebSocket (connectionParams). */
export function createContextFactory(deps: ApiDeps) {
  return (opts: {
    req: IncomingMessage
    res?: { setHeader(name: string, value: string): unknown; headersSent?: boolean }
    info: { connectionParams: Record<string, string | undefined> | null }
  }): Context => {
    const paramToken = opts.info.connectionParams?.token
    const accessToken =
      typeof paramToken === 'string' && paramToken.length > 0 && paramToken.length < 4096
        ? paramToken
        : bearerToken(opts.req.headers.authorization)
    const res = opts.res
    return createInnerContext(deps, {
      accessToken,
      clientIp: clientIp(opts.req),
      setHeader: (name, value) => {
        if (res && !res.headersSent) res.setHeader(name, value)
      },
    })
  }
}
