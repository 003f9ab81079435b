import type { AppRouter } from '@fms/api'
import { WS_CLOSE } from '@fms/api/schemas'
import { transformer } from '@fms/api/transformer'
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink } from '@trpc/client'
import { TRPC_URL, toWebSocketUrl } from '../lib/urls'

/**
 * A tRPC client of its own for a share link's page: it carries the link's token, never the
 * signed-in user's session, so the page reaches only what the link shows (`shared.*`).
 * `onEnded` runs when the server closes the socket because the link expired or was revoked.
 */
export function createShareClient(token: string, onEnded: () => void) {
  const wsClient = createWSClient({
    url: toWebSocketUrl(TRPC_URL),
    connectionParams: () => ({ token }),
    onClose: (cause) => {
      if (cause?.code === WS_CLOSE.SHARE_ENDED) onEnded()
    },
    lazy: { enabled: true, closeMs: 0 },
  })
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: wsClient, transformer }),
        false: httpBatchLink({
          url: TRPC_URL,
          transformer,
          headers: () => ({ Authorization: `Bearer ${token}` }),
        }),
      }),
    ],
  })
  return { client, close: () => wsClient.close() }
}
