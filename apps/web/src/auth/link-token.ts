import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { readHashQuery } from '../lib/hash-route'
import { useTRPC } from '../trpc'

/**
 * The `token` of an emailed link (`#/verify-email?token=…`), read once when the page opens and
 * then removed from the address bar, so it stays out of the history, bookmarks and screenshots.
 */
export function useLinkToken(): string | null {
  return useOnceHashParam('token')
}

/** A query parameter of the hash route, read once and then removed from the address bar. */
export function useOnceHashParam(name: string): string | null {
  const [token] = useState(() => {
    const value = readHashQuery().get(name)
    if (value !== null) {
      const hash = window.location.hash
      const path = hash.slice(0, hash.includes('?') ? hash.indexOf('?') : undefined)
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${path}`)
    }
    return value
  })
  return token
}

/** Whether the server sends email (`auth.emailStatus`); undefined while loading. */
export function useIsEmailEnabled(): boolean | undefined {
  const trpc = useTRPC()
  const status = useQuery({ ...trpc.auth.emailStatus.queryOptions(), staleTime: 5 * 60_000 })
  return status.data?.isEmailEnabled
}
