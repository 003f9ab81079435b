import type { LiveAlert } from '@fms/live'
import type { Context } from '../context.ts'
import { streamEvents } from './live.ts'

/** Alert versions stored for the caller's organization, resumable like `fleet.changes`. */
export function liveAlerts(
  ctx: Context,
  params: { orgId: string; userId: string; lastEventId: string | null | undefined },
  signal: AbortSignal | undefined,
) {
  return streamEvents<LiveAlert>(ctx, params, signal, {
    join: (listener) => ctx.live.joinAlerts(params.orgId, listener),
    pick: (entry) => (entry.message.kind === 'alert' ? entry.message.alert : undefined),
  })
}
