import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { type RouterOutputs, useTRPC } from '../trpc'

export type TCurrentDriver = RouterOutputs['drivers']['current']['items'][number]

/** Devices change drivers by card swipe; half a minute late is soon enough on a map. */
const REFETCH_MS = 30_000

/**
 * Who drives each vehicle now, by vehicle id: one query for the whole fleet (refetched every
 * 30 s, and at once after an assignment, which invalidates `drivers.*`), so a list row or a panel
 * looks its driver up in a Map instead of asking the server.
 */
export function useCurrentDrivers(): ReadonlyMap<string, TCurrentDriver> {
  const trpc = useTRPC()
  const current = useQuery({
    ...trpc.drivers.current.queryOptions(),
    refetchInterval: REFETCH_MS,
    // Thousands of rows: compare nothing, a new answer is a new Map.
    structuralSharing: false,
  })
  return useMemo(
    () => new Map(current.data?.items.map((item) => [item.vehicleId, item]) ?? []),
    [current.data],
  )
}
