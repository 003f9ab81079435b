import type { AppRouter } from '@fms/api'
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client'
import superjson from 'superjson'

/** A typed tRPC client over HTTP to a running server, signed in when given an access token. */
export function createApiClient(url: string, accessToken?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: new URL('/trpc', url).href,
        transformer: superjson,
        headers: () => (accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
      }),
    ],
  })
}

export type ApiClient = ReturnType<typeof createApiClient>

/** The tRPC error code of a failed call ('UNAUTHORIZED', 'CONFLICT', ...), if it has one. */
export function readErrorCode(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined
  const data = error.data as { code?: unknown } | undefined
  return typeof data?.code === 'string' ? data.code : undefined
}
