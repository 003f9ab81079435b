import type { LiveAlert } from '@fms/live'
import { type SubscriptionDeps, streamEvents } from './live.ts'

/** Alert versions stored for the caller's organization, resumable like `fleet.changes`. */
export function liveAlerts(
  deps: SubscriptionDeps,
  params: { orgId: string; userId: string; lastEventId: string | null | undefined },
  signal: AbortSignal | undefined,
) {
  return streamEvents<LiveAlert>(deps, params, signal, {
    join: (listener) => deps.live.joinAlerts(params.orgId, listener),
    pick: (entry) => (entry.message.kind === 'alert' ? entry.message.alert : undefined),
  })
}
