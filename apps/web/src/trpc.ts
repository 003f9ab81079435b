import type { AppRouter, inferRouterInputs, inferRouterOutputs } from '@fms/api'
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink } from '@trpc/client'
import { createTRPCContext } from '@trpc/tanstack-react-query'
import superjson from 'superjson'
import { session } from './auth/session'
import { TRPC_URL, toWebSocketUrl } from './lib/urls'

export type RouterInputs = inferRouterInputs<AppRouter>
export type RouterOutputs = inferRouterOutputs<AppRouter>

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>()

const wsClient = createWSClient({
  url: toWebSocketUrl(TRPC_URL),
  connectionParams: async () => {
    const token = await session.getAccessToken()
    return token ? { token } : null
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
