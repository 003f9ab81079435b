import { tracked } from '@trpc/server'
import type { Context } from '../context.ts'
import type { LiveAlert } from '../live/types.ts'
import { holdSubscription, waitForWake } from './live.ts'

/** Alert versions stored for the caller's organization, resumable like `fleet.changes`. */
export function liveAlerts(
  ctx: Context,
  params: { orgId: string; lastEventId: string | null | undefined },
  signal: AbortSignal | undefined,
) {
  const release = holdSubscription(ctx)
  return streamAlerts(ctx, params, signal, release)
}

async function* streamAlerts(
  ctx: Context,
  params: { orgId: string; lastEventId: string | null | undefined },
  signal: AbortSignal | undefined,
  release: () => void,
) {
  const queue: { id: string; alert: LiveAlert }[] = []
  let wake: (() => void) | undefined
  const leave = ctx.live.joinAlerts(params.orgId, (id, alert) => {
    // A consumer this far behind is dropped rather than buffered forever; it resumes on reconnect.
    if (queue.length >= 10_000) ctx.connection?.socket.close(4008, 'Too slow to keep up')
    else queue.push({ id, alert })
    wake?.()
  })
  try {
    if (params.lastEventId) {
      const backlog = await ctx.live.bus.since(params.orgId, params.lastEventId)
      for (const entry of backlog ?? []) {
        if (entry.message.kind === 'alert') yield tracked(entry.id, entry.message.alert)
      }
    }
    while (!signal?.aborted) {
      const next = queue.shift()
      if (next) {
        yield tracked(next.id, next.alert)
        continue
      }
      await waitForWake(signal, (resolve) => {
        wake = resolve
      })
      wake = undefined
    }
  } finally {
    leave()
    release()
  }
}
