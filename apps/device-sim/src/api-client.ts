import { type ApiClient, createApiClient as createClient, readErrorCode } from '@fms/api/client'

export type { ApiClient }
export { readErrorCode }

/**
 * A typed tRPC client for the server's admin API (provisioning). Calls made in the same tick go
 * out as one HTTP request, so creating hundreds of vehicles takes a handful of round trips.
 */
export function createApiClient(server: string, accessToken?: string): ApiClient {
  return createClient(server, { accessToken, isBatched: true })
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
