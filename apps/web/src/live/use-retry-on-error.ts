import { useEffect } from 'react'

/**
 * A failed subscription is started again after this long. tRPC's WebSocket client fails a
 * subscription asked for while it replaces its socket (e.g. one the server closed at token
 * expiry) instead of sending it on the new one; resumable subscriptions miss nothing by retrying.
 */
const RETRY_MS = 2_000

/** Restarts a `useSubscription` result that ended in an error. */
export function useRetryOnError(subscription: { status: string; reset: () => void }): void {
  const { status, reset } = subscription
  useEffect(() => {
    if (status !== 'error') return
    const timer = window.setTimeout(reset, RETRY_MS)
    return () => window.clearTimeout(timer)
  }, [status, reset])
}
