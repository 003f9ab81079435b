import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client'
import type { AppRouter } from './root.ts'
import { transformer } from './transformer.ts'

export interface ApiClientOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  accessToken?: string | undefined
  /** Calls made in the same tick go out as one HTTP request (at most 25 calls per request). */
  isBatched?: boolean
}

/**
 * A typed tRPC client of this API over HTTP, for Node programs (the simulator, tests and
 * benchmarks). Type-only import of the router: nothing of the server is loaded at run time.
 */
export function createApiClient(url: string, options: ApiClientOptions = {}) {
  const { accessToken } = options
  const headers = () => (accessToken ? { authorization: `Bearer ${accessToken}` } : {})
  const endpoint = new URL('/trpc', url).href
  return createTRPCClient<AppRouter>({
    links: [
      options.isBatched
        ? httpBatchLink({
            url: endpoint,
            transformer,
            maxItems: 25,
            maxURLLength: 4000,
            headers,
          })
        : httpLink({ url: endpoint, transformer, headers }),
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
