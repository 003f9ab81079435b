import type { LivePoint } from '@fms/live'
import { tracked } from '@trpc/server'
import { WS_CLOSE } from '../schemas/live.ts'
import { holdSubscription, type SubscriptionDeps } from './live.ts'
import type { ShareViewer } from './shares.ts'

/** A position as a share link shows it: where a vehicle is, nothing of its engine. */
export interface SharedPosition {
  vehicleId: string
  /** Epoch ms. */
  time: number
  lat: number | null
  lon: number | null
  speed: number | null
  heading: number | null
}

export interface SharedFrame {
  /** True when the stream restarted: refetch `shared.view`. */
  reset: boolean
  positions: SharedPosition[]
}

function toSharedPositions(share: ShareViewer, points: readonly LivePoint[]): SharedPosition[] {
  const since = share.historyFrom.getTime()
  const positions: SharedPosition[] = []
  for (const point of points) {
    if (!point.vehicleId || !share.vehicleIds.includes(point.vehicleId) || point.time < since) {
      continue
    }
    positions.push({
      vehicleId: point.vehicleId,
      time: point.time,
      lat: point.lat,
      lon: point.lon,
      speed: point.speed,
      heading: point.heading,
    })
  }
  return positions
}

/**
 * The live positions of a share link's vehicles, and nothing else of the organization. The
 * stream ends at the link's expiry (the WebSocket's session closes the socket at expiry or
 * revocation too, see the server's `WsSessions`). Backlog after `lastEventId` is replayed.
 */
export function liveSharedPositions(
  deps: SubscriptionDeps,
  share: ShareViewer,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
) {
  const release = holdSubscription(deps.connection, `share:${share.id}`, signal)
  return streamSharedPositions(deps, share, lastEventId, signal, release)
}

async function* streamSharedPositions(
  deps: SubscriptionDeps,
  share: ShareViewer,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
  release: () => void,
) {
  const untilExpiry = AbortSignal.timeout(Math.max(0, share.expiresAt.getTime() - Date.now()))
  const stop = signal ? AbortSignal.any([signal, untilExpiry]) : untilExpiry
  const { mailbox, leave } = deps.live.joinPoints(share.orgId, { vehicleIds: share.vehicleIds })
  try {
    if (lastEventId) {
      const backlog = await deps.live.since(share.orgId, lastEventId)
      const newest = backlog?.at(-1)
      if (backlog === null) {
        yield tracked<SharedFrame>(await deps.live.latestId(share.orgId), {
          reset: true,
          positions: [],
        })
      } else if (newest !== undefined) {
        const missed = backlog.flatMap((entry) =>
          entry.message.kind === 'points' ? toSharedPositions(share, entry.message.points) : [],
        )
        yield tracked<SharedFrame>(newest.id, { reset: false, positions: missed })
      }
    }
    let laggingSince = 0
    while (!stop.aborted) {
      const item = await mailbox.take(stop)
      if (!item) break
      const socket = deps.connection?.socket
      if (socket && socket.bufferedAmount > deps.live.options.socketBacklogBytes) {
        laggingSince ||= Date.now()
        if (Date.now() - laggingSince > deps.live.options.slowSocketCloseMs) {
          socket.close(WS_CLOSE.TOO_SLOW, 'Too slow to keep up')
          return
        }
        mailbox.put(item)
        await new Promise((resolve) => setTimeout(resolve, deps.live.options.flushMs))
        continue
      }
      laggingSince = 0
      const positions = toSharedPositions(share, item.frame.points)
      if (positions.length > 0 || item.frame.reset) {
        yield tracked<SharedFrame>(item.id, { reset: item.frame.reset, positions })
      }
    }
    if (untilExpiry.aborted) deps.connection?.socket.close(WS_CLOSE.SHARE_ENDED, 'Share link ended')
  } finally {
    leave()
    release()
  }
}
