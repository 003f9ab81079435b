import { readLiveFramePoints } from '@fms/api/schemas'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useSubscription } from '@trpc/tanstack-react-query'
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react'
import { useTRPC } from '../trpc'
import { createFleetStore, type TFleetStore } from './fleet-store'
import { useRetryOnError } from './use-retry-on-error'

const FleetStoreContext = createContext<TFleetStore | null>(null)

/** At most one extra snapshot this often when frames name vehicles the store doesn't know. */
const SNAPSHOT_MIN_INTERVAL_MS = 2_000

/**
 * Keeps the organization's live fleet for every page below it: a `telemetry.latest` snapshot,
 * then `telemetry.live` from the snapshot's stream position (so nothing is missed in between),
 * and `fleet.changes` to refresh lists and the snapshot when vehicles or devices change.
 * Frames go straight into the store, never through React state.
 */
export function LiveFleetProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const [store] = useState(createFleetStore)
  const latest = useQuery({
    ...trpc.telemetry.latest.queryOptions(),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  })
  const [resumeFrom, setResumeFrom] = useState<string | null | undefined>(undefined)
  const refetchSoon = useThrottled(() => void latest.refetch(), SNAPSHOT_MIN_INTERVAL_MS)

  useEffect(() => {
    if (!latest.data) return
    store.replaceAll(latest.data.vehicles)
    setResumeFrom((held) => (held === undefined ? latest.data.lastEventId : held))
  }, [latest.data, store])

  // The compact frames' key table. Every subscription (a reconnect too) is sent each key before
  // its first use, so a number re-sent with another meaning simply replaces the old one.
  const [keys] = useState(() => new Map<number, { vehicleId: string | null; deviceId: string }>())
  const live = useSubscription(
    trpc.telemetry.live.subscriptionOptions(
      { lastEventId: resumeFrom, format: 'compact' },
      {
        enabled: resumeFrom !== undefined,
        onData: ({ data }) => {
          if (data.reset) return refetchSoon()
          if (store.applyPoints(readLiveFramePoints(data, keys)).unknown > 0) refetchSoon()
        },
      },
    ),
  )

  useRetryOnError(live)

  const changes = useSubscription(
    trpc.fleet.changes.subscriptionOptions(
      {},
      {
        onData: ({ data }) => {
          const domain = data.entity === 'vehicle' ? trpc.vehicles : trpc.devices
          void queryClient.invalidateQueries({ queryKey: domain.pathKey() })
          refetchSoon()
        },
      },
    ),
  )

  useRetryOnError(changes)

  return <FleetStoreContext value={store}>{children}</FleetStoreContext>
}

export function useFleetStore(): TFleetStore {
  const store = useContext(FleetStoreContext)
  if (!store) throw new Error('useFleetStore needs a LiveFleetProvider above it')
  return store
}

/** Calls `run` at most once per `intervalMs`; a call inside the interval runs at its end. */
function useThrottled(run: () => void, intervalMs: number): () => void {
  const latestRun = useRef(run)
  latestRun.current = run
  const state = useRef({ lastRunAt: 0, timer: 0 })
  useEffect(() => () => window.clearTimeout(state.current.timer), [])
  const [throttled] = useState(() => () => {
    const held = state.current
    if (held.timer) return
    const wait = Math.max(0, held.lastRunAt + intervalMs - Date.now())
    held.timer = window.setTimeout(() => {
      held.timer = 0
      held.lastRunAt = Date.now()
      latestRun.current()
    }, wait)
  })
  return throttled
}
