import { useQuery } from '@tanstack/react-query'
import { useSubscription } from '@trpc/tanstack-react-query'
import { useThrottledInvalidate } from '../lib/use-throttled-invalidate'
import { useRetryOnError } from '../live/use-retry-on-error'
import { useTRPC } from '../trpc'

/** Shown as "100+" beyond this. */
export const UNACKNOWLEDGED_COUNT_LIMIT = 100

/**
 * Keeps every alert query fresh: `alerts.live` (resumable, tracked ids) refetches the alert lists
 * (and the reports and the overview, which count alerts) when an alert is stored or changes, at most a few times a second. Subscribing refetches once
 * too, so nothing stored between a list's snapshot and the subscription is missed.
 */
export function useLiveAlerts() {
  const trpc = useTRPC()
  const refresh = useThrottledInvalidate([
    trpc.alerts.pathKey(),
    trpc.reports.pathKey(),
    trpc.fleet.overview.pathKey(),
  ])
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
