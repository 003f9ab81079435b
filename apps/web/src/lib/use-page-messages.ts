import { useState } from 'react'
import { readFormError } from './form-errors'

/**
 * A management page's two messages: the notice of what last succeeded (announced as a status)
 * and the error of the last row action that failed.
 */
export function usePageMessages() {
  const [notice, setNotice] = useState<string | null>(null)
  const [actionError, setActionError] = useState<string | null>(null)
  return {
    notice,
    setNotice,
    actionError,
    setActionError,
    /** For a mutation's `onError`: shows what went wrong. */
    showActionError: (error: unknown) => setActionError(readFormError(error)),
  }
}

/** The items of every page loaded so far of a cursor-paginated list. */
export function flattenPages<TItem>(data: { pages: { items: TItem[] }[] } | undefined): TItem[] {
  return data?.pages.flatMap((page) => page.items) ?? []
}

/** For `infiniteQueryOptions`: the next page starts at the cursor the last one gave. */
export function readNextCursor(page: { nextCursor?: string | null }): string | undefined {
  return page.nextCursor ?? undefined
}
