import { useQuery } from '@tanstack/react-query'
import { useTRPC } from '../trpc'

/** The signed-in user (`auth.me`), shared by every page through the query cache. */
export function useMe() {
  const trpc = useTRPC()
  return useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 60_000 })
}

export function useIsAdmin(): boolean {
  return useMe().data?.role === 'admin'
}
