import type { AppRouter } from '@fms/api'
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client'
import superjson from 'superjson'

/**
 * A typed tRPC client for the server's admin API (provisioning). Calls made in the same tick go
 * out as one HTTP request, so creating hundreds of vehicles takes a handful of round trips.
 */
export function createApiClient(server: string, accessToken?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${server}/trpc`,
        transformer: superjson,
        maxItems: 25,
        maxURLLength: 4000,
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

/** Reads every page of a cursor-paginated list. */
export async function readAllPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const items: T[] = []
  let cursor: string | undefined
  do {
    const page = await fetchPage(cursor)
    items.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return items
}

/** Runs `task` over `items`, `size` at a time (each group goes out as one batched request). */
export async function runInGroups<T, R>(
  items: readonly T[],
  size: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = []
  for (let i = 0; i < items.length; i += size) {
    results.push(...(await Promise.all(items.slice(i, i + size).map(task))))
  }
  return results
}
