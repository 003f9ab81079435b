import { useInfiniteQuery } from '@tanstack/react-query'
import { useEffect, useMemo } from 'react'
import { useTRPC } from '../trpc'
import type { TGeofence } from './geofence-layers'

/** The API's largest page. */
const PAGE_SIZE = 100
/** Pages read for the map: up to 2,000 geofences, far past what an outline view is useful for. */
const MAX_PAGES = 20
const NONE: readonly TGeofence[] = []

/**
 * Every geofence of the organization (all pages of `geofences.list`), once they are all in, as
 * one array that keeps its identity until the list changes; none while `isEnabled` is false.
 */
export function useAllGeofences(isEnabled: boolean) {
  const trpc = useTRPC()
  const list = useInfiniteQuery(
    trpc.geofences.list.infiniteQueryOptions(
      { sort: 'name', order: 'asc', limit: PAGE_SIZE },
      {
        enabled: isEnabled,
        getNextPageParam: (page, pages) =>
          pages.length < MAX_PAGES ? (page.nextCursor ?? undefined) : undefined,
      },
    ),
  )
  const { hasNextPage, isFetchingNextPage, isError, fetchNextPage, data } = list
  useEffect(() => {
    if (isEnabled && hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage()
  }, [isEnabled, hasNextPage, isFetchingNextPage, isError, fetchNextPage])
  const isComplete = data !== undefined && !hasNextPage
  const geofences = useMemo(
    () => (isComplete ? data.pages.flatMap((page) => page.items) : NONE),
    [isComplete, data],
  )
  return { geofences: isEnabled ? geofences : NONE, isError }
}
