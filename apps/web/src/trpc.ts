import type { AppRouter, inferRouterInputs, inferRouterOutputs } from '@fms/api'
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink } from '@trpc/client'
import { createTRPCContext } from '@trpc/tanstack-react-query'
import superjson from 'superjson'
import { session } from './auth/session'
import { TRPC_URL, toWebSocketUrl } from './lib/urls'

export type RouterInputs = inferRouterInputs<AppRouter>
export type RouterOutputs = inferRouterOutputs<AppRouter>

/** The close code the server uses when a socket's access token expires. */
const TOKEN_EXPIRED_CLOSE_CODE = 4001

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
  // 4001: the server closed the socket because the access token expired. Whatever this clock
  // says, the token is spent: refresh before reconnecting.
  onClose: (cause) => {
    if (cause?.code === TOKEN_EXPIRED_CLOSE_CODE) session.expire()
  },
  lazy: { enabled: true, closeMs: 0 },
})

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: wsLink({ client: wsClient, transformer: superjson }),
      false: httpBatchLink({
        url: TRPC_URL,
        transformer: superjson,
        headers: async (): Promise<Record<string, string>> => {
          const token = await session.getAccessToken()
          return token ? { Authorization: `Bearer ${token}` } : {}
        },
      }),
    }),
  ],
})
