import { canSeeVehicle, type VehicleScope } from '@fms/db/queries/vehicle-scope'
import type { FleetChange, LiveEntry, LivePoint } from '@fms/live'
import {
  type CompactLiveFrame,
  CompactSubscription,
  type LiveFilter,
  type LiveFrame,
  matchesFilter,
  mergeLatest,
  SharedFrame,
} from '@fms/live'
import { tracked } from '@trpc/server'
import type { ApiDeps, LiveConnection } from '../context.ts'
import { AppError } from '../errors.ts'
import { WS_CLOSE } from '../schemas/live.ts'

/** What a subscription uses: the fan-out, and the WebSocket it runs on (null over HTTP). */
export type SubscriptionDeps = Pick<ApiDeps, 'live'> & { connection: LiveConnection | null }

/** Subscriptions one WebSocket may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 10

/**
 * Counts a subscription against its socket and its user (all the user's sockets on this node);
 * refuses one over either limit. Returns the release for when the subscription ends.
 */
export function holdSubscription(
  connection: LiveConnection | null,
  userId: string,
  signal: AbortSignal | undefined,
): () => void {
  if (!connection) return () => {}
  if (connection.activeSubscriptions >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
    throw new AppError('TOO_MANY_REQUESTS', 'Too many subscriptions on this connection')
  }
  const byUser = connection.subscriptionsByUser
  const held = byUser?.get(userId) ?? 0
  if (byUser && held >= (connection.maxSubscriptionsPerUser ?? Number.POSITIVE_INFINITY)) {
    throw new AppError('TOO_MANY_REQUESTS', 'Too many live subscriptions for this user')
  }
  connection.activeSubscriptions++
  byUser?.set(userId, held + 1)
  let isReleased = false
  const release = () => {
    if (isReleased) return
    isReleased = true
    connection.socket.off('close', release)
    connection.activeSubscriptions--
    const left = (byUser?.get(userId) ?? 1) - 1
    if (left > 0) byUser?.set(userId, left)
    else byUser?.delete(userId)
  }
  // A stream the transport never starts (stopped at once, socket closed meanwhile, duplicate
  // id) runs no `finally`; its place comes back on abort or when the socket closes.
  signal?.addEventListener('abort', release, { once: true })
  connection.socket.once('close', release)
  return release
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/**
 * Live positions of the caller's organization. Joins the fan-out first, then replays what the
 * client missed since `lastEventId` (conflated), then streams frames. A socket that falls behind
 * is skipped (its points keep merging into one pending frame) and closed if it stays behind.
 */
export function liveTelemetry(
  deps: SubscriptionDeps,
  params: {
    orgId: string
    userId: string
    filter: LiveFilter
    lastEventId: string | null | undefined
    format?: 'points' | 'compact' | undefined
  },
  signal: AbortSignal | undefined,
) {
  // Checked before the stream starts, so the refusal is an ordinary procedure error.
  const release = holdSubscription(deps.connection, params.userId, signal)
  return streamTelemetry(deps, params, signal, release)
}

async function* streamTelemetry(
  deps: SubscriptionDeps,
  params: {
    orgId: string
    filter: LiveFilter
    lastEventId: string | null | undefined
    format?: 'points' | 'compact' | undefined
  },
  signal: AbortSignal | undefined,
  release: () => void,
) {
  const { mailbox, keys, leave } = deps.live.joinPoints(params.orgId, params.filter)
  // A compact subscription is told each key once; its frames are views of the shared ones.
  const compact = params.format === 'compact' ? new CompactSubscription(keys) : null
  // The view is sent as its own JSON (the WebSocket encoder splices it): typed as what it reads as.
  const frameEvent = (id: string, frame: SharedFrame) =>
    tracked<LiveFrame | CompactLiveFrame>(
      id,
      compact ? (compact.view(frame) as unknown as CompactLiveFrame) : frame,
    )
  try {
    if (params.lastEventId) {
      const backlog = await deps.live.since(params.orgId, params.lastEventId)
      // The newest entry missed, undefined when nothing was (an empty backlog sends nothing).
      const newest = backlog?.at(-1)
      if (backlog === null) {
        yield frameEvent(await deps.live.latestId(params.orgId), new SharedFrame([], true, keys))
      } else if (newest !== undefined) {
        const missed = new Map<string, LivePoint>()
        for (const entry of backlog) {
          if (entry.message.kind !== 'points') continue
          for (const point of entry.message.points) {
            if (matchesFilter(params.filter, point)) mergeLatest(missed, point)
          }
        }
        yield frameEvent(newest.id, new SharedFrame([...missed.values()], false, keys))
      }
    }
    let laggingSince = 0
    while (!signal?.aborted) {
      const item = await mailbox.take(signal)
      if (!item) return
      const socket = deps.connection?.socket
      if (socket && socket.bufferedAmount > deps.live.options.socketBacklogBytes) {
        laggingSince ||= Date.now()
        if (Date.now() - laggingSince > deps.live.options.slowSocketCloseMs) {
          socket.close(WS_CLOSE.TOO_SLOW, 'Too slow to keep up')
          return
        }
        mailbox.put(item)
        await sleep(deps.live.options.flushMs, signal)
        continue
      }
      laggingSince = 0
      deps.live.observer?.frameSent(performance.now() - item.frame.builtAt)
      yield frameEvent(item.id, item.frame)
    }
  } finally {
    leave()
    release()
  }
}

/** Resolves when `register`'s callback is called or the signal aborts; leaves no listener behind. */
export function waitForWake(
  signal: AbortSignal | undefined,
  register: (resolve: () => void) => void,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      signal?.removeEventListener('abort', done)
      resolve()
    }
    register(done)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** Vehicle and device changes of the caller's organization, resumable like telemetry. */
export function fleetChanges(
  deps: SubscriptionDeps,
  params: {
    scope: VehicleScope
    userId: string
    lastEventId: string | null | undefined
  },
  signal: AbortSignal | undefined,
) {
  const { scope } = params
  // A group-limited user hears of the vehicles they see only, and of no device (a change names
  // a device by id alone; their lists refetch what they may see on the vehicle changes).
  const isVisible = (change: FleetChange) =>
    scope.vehicleIds === null || (change.entity === 'vehicle' && canSeeVehicle(scope, change.id))
  return streamEvents<FleetChange>(deps, { ...params, orgId: scope.orgId }, signal, {
    join: (listener) =>
      deps.live.joinFleet(scope.orgId, (id, change) => {
        if (isVisible(change)) listener(id, change)
      }),
    pick: (entry) =>
      entry.message.kind === 'fleet' && isVisible(entry.message.change)
        ? entry.message.change
        : undefined,
  })
}

/** Where a resumable event stream comes from: live listeners, and the bus history to replay. */
export interface EventSource<T> {
  join(listener: (id: string, event: T) => void): () => void
  pick(entry: LiveEntry): T | undefined
}

/**
 * A resumable stream of rare events (fleet changes, alerts): joins first, replays what came after
 * `lastEventId`, then goes on live. Each event is sent (no conflation); a consumer 10,000 events
 * behind is closed rather than buffered forever, and resumes on reconnect.
 */
export function streamEvents<T>(
  deps: SubscriptionDeps,
  params: { orgId: string; userId: string; lastEventId: string | null | undefined },
  signal: AbortSignal | undefined,
  source: EventSource<T>,
) {
  // Checked before the stream starts, so the refusal is an ordinary procedure error.
  const release = holdSubscription(deps.connection, params.userId, signal)
  return runEventStream(deps, params, signal, source, release)
}

async function* runEventStream<T>(
  deps: SubscriptionDeps,
  params: { orgId: string; lastEventId: string | null | undefined },
  signal: AbortSignal | undefined,
  source: EventSource<T>,
  release: () => void,
) {
  const queue: { id: string; event: T }[] = []
  let wake: (() => void) | undefined
  const leave = source.join((id, event) => {
    if (queue.length >= 10_000)
      deps.connection?.socket.close(WS_CLOSE.TOO_SLOW, 'Too slow to keep up')
    else queue.push({ id, event })
    wake?.()
  })
  try {
    if (params.lastEventId) {
      const backlog = await deps.live.since(params.orgId, params.lastEventId)
      for (const entry of backlog ?? []) {
        const event = source.pick(entry)
        if (event !== undefined) yield tracked(entry.id, event)
      }
    }
    while (!signal?.aborted) {
      const next = queue.shift()
      if (next) {
        yield tracked(next.id, next.event)
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

/**
 * Tells live subscribers about a committed fleet change. The change is already committed, so a
 * bus failure must not fail the call: subscribers resync from `telemetry.latest` / lists.
 */
export async function publishFleetChange<T extends { id: string; orgId: string }>(
  deps: Pick<ApiDeps, 'live'>,
  entity: FleetChange['entity'],
  action: FleetChange['action'],
  row: T,
): Promise<T> {
  await deps.live
    .publish({ orgId: row.orgId, kind: 'fleet', change: { entity, action, id: row.id } })
    .catch(() => {})
  return row
}
