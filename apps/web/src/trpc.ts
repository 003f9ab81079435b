import type { AppRouter, inferRouterInputs, inferRouterOutputs } from '@fms/api'
import { WS_CLOSE } from '@fms/api/schemas'
import { transformer } from '@fms/api/transformer'
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink } from '@trpc/client'
import { createTRPCContext } from '@trpc/tanstack-react-query'
import { session } from './auth/session'
import { TRPC_URL, toWebSocketUrl } from './lib/urls'

export type RouterInputs = inferRouterInputs<AppRouter>
export type RouterOutputs = inferRouterOutputs<AppRouter>

/** The server takes at most 50 calls per batch (TRPC_MAX_BATCH); stay well below. */
const MAX_BATCH_ITEMS = 20

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>()

/**
 * One WebSocket for every subscription. `connectionParams` runs on every (re)connect, so a socket
 * the server closed at token expiry (4001) comes back with the refreshed token.
 */
export const wsClient = createWSClient({
  url: toWebSocketUrl(TRPC_URL),
  connectionParams: async () => {
    const token = await session.getAccessToken()
    return token ? { token } : null
  },
  // The server closed the socket because the access token expired, or because the user's role
  // changed (or the user was removed). Whatever this clock says, the token is spent: refresh
  // before reconnecting (a removed user's refresh fails, which signs them out).
  onClose: (cause) => {
    if (cause?.code === WS_CLOSE.TOKEN_EXPIRED || cause?.code === WS_CLOSE.SESSION_CHANGED) {
      session.expire()
    }
  },
  lazy: { enabled: true, closeMs: 0 },
})

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: wsLink({ client: wsClient, transformer }),
      false: httpBatchLink({
        url: TRPC_URL,
        transformer,
        maxItems: MAX_BATCH_ITEMS,
        headers: async (): Promise<Record<string, string>> => {
          const token = await session.getAccessToken()
          return token ? { Authorization: `Bearer ${token}` } : {}
        },
      }),
    }),
  ],
})
