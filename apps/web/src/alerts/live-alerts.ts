import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useSubscription } from '@trpc/tanstack-react-query'
import { useEffect, useRef } from 'react'
import { useRetryOnError } from '../live/use-retry-on-error'
import { useTRPC } from '../trpc'

/** Shown as "100+" beyond this. */
export const UNACKNOWLEDGED_COUNT_LIMIT = 100
const REFRESH_MIN_INTERVAL_MS = 300

/**
 * Keeps every alert query fresh: `alerts.live` (resumable, tracked ids) refetches the alert lists
 * (and the reports and the overview, which count alerts) when an alert is stored or changes, at most a few times a second. Subscribing refetches once
 * too, so nothing stored between a list's snapshot and the subscription is missed.
 */
export function useLiveAlerts() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const timer = useRef(0)
  useEffect(() => () => window.clearTimeout(timer.current), [])
  const refresh = () => {
    if (timer.current) return
    timer.current = window.setTimeout(() => {
      timer.current = 0
      void queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() })
      void queryClient.invalidateQueries({ queryKey: trpc.reports.pathKey() })
      void queryClient.invalidateQueries({ queryKey: trpc.fleet.overview.pathKey() })
    }, REFRESH_MIN_INTERVAL_MS)
  }
  useRetryOnError(
    useSubscription(
      trpc.alerts.live.subscriptionOptions({}, { onStarted: refresh, onData: refresh }),
    ),
  )
}

/** Unacknowledged alerts of the organization, up to the limit (for the navigation's badge). */
export function useUnacknowledgedCount(): string | null {
  const trpc = useTRPC()
  const query = useQuery(
    trpc.alerts.list.queryOptions({ isAcknowledged: false, limit: UNACKNOWLEDGED_COUNT_LIMIT }),
  )
  if (!query.data) return null
  const count = query.data.items.length
  return query.data.nextCursor ? `${count}+` : String(count)
}
