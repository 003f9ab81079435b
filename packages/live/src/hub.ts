import type { LiveBus } from './bus.ts'
import { CompactKeys } from './compact.ts'
import { SharedFrame } from './frame.ts'
import type {
  FleetChange,
  LiveAlert,
  LiveEntry,
  LiveMessage,
  LiveNotification,
  LivePoint,
} from './types.ts'

export interface LiveFilter {
  vehicleIds?: readonly string[] | undefined
  /** [west, south, east, north] in degrees. */
  bbox?: readonly [number, number, number, number] | undefined
}

export interface FrameItem {
  id: string
  frame: SharedFrame
}

/** Keeps `point` if it is newer than what is held for its vehicle (or device). */
export function mergeLatest(target: Map<string, LivePoint>, point: LivePoint): void {
  const key = point.vehicleId ?? point.deviceId
  const held = target.get(key)
  if (!held || point.time >= held.time) target.set(key, point)
}

export function matchesFilter(filter: LiveFilter, point: LivePoint): boolean {
  if (filter.vehicleIds && (!point.vehicleId || !filter.vehicleIds.includes(point.vehicleId))) {
    return false
  }
  if (filter.bbox) {
    const [west, south, east, north] = filter.bbox
    if (point.lat === null || point.lon === null) return false
    if (point.lat < south || point.lat > north || point.lon < west || point.lon > east) return false
  }
  return true
}

/**
 * One subscriber's mailbox: at most one pending frame. A frame arriving while the previous one is
 * still pending is merged into it (latest point per vehicle), so memory is bounded by the fleet
 * size however slow the consumer is.
 */
export class FrameMailbox {
  private pending: {
    id: string
    frame: SharedFrame
    merged: Map<string, LivePoint> | null
    /** When the oldest frame merged here was built. */
    builtAt: number
  } | null = null
  private wake: (() => void) | undefined

  put(item: FrameItem): void {
    if (!this.pending) {
      this.pending = { id: item.id, frame: item.frame, merged: null, builtAt: item.frame.builtAt }
    } else {
      const merged = this.pending.merged ?? new Map<string, LivePoint>()
      if (!this.pending.merged) for (const p of this.pending.frame.points) mergeLatest(merged, p)
      for (const p of item.frame.points) mergeLatest(merged, p)
      this.pending = {
        id: item.id,
        frame:
          this.pending.frame.reset || item.frame.reset
            ? new SharedFrame([], true, item.frame.keys)
            : item.frame,
        merged,
        builtAt: this.pending.builtAt,
      }
    }
    this.wake?.()
  }

  /** The pending frame (a private one when frames were merged), or null when aborted. */
  async take(signal: AbortSignal | undefined): Promise<FrameItem | null> {
    while (!this.pending) {
      if (signal?.aborted) return null
      await new Promise<void>((resolve) => {
        const done = () => {
          signal?.removeEventListener('abort', done)
          resolve()
        }
        this.wake = done
        signal?.addEventListener('abort', done, { once: true })
      })
      this.wake = undefined
    }
    const { id, frame, merged, builtAt } = this.pending
    this.pending = null
    return {
      id,
      frame: merged
        ? new SharedFrame([...merged.values()], frame.reset, frame.keys, builtAt)
        : frame,
    }
  }
}

interface Group {
  filter: LiveFilter
  /** The numbering of the compact encoding, shared by the group's frames. */
  keys: CompactKeys
  mailboxes: Set<FrameMailbox>
  pending: Map<string, LivePoint>
  lastId: string | null
  /** `performance.now()` of the group's previous frame. */
  lastFlushAt: number
  /** `performance.now()` when the pending points began to gather (since the last frame). */
  pendingSince: number
  timer: NodeJS.Timeout | undefined
}

interface OrgState {
  unsubscribe: () => void
  groups: Map<string, Group>
  fleetListeners: Set<(id: string, change: FleetChange) => void>
  alertListeners: Set<(id: string, alert: LiveAlert) => void>
  notificationListeners: Set<(id: string, notification: LiveNotification) => void>
  lastId: string | null
}

/**
 * Fans the bus out to subscribers. Subscribers of one organization with the same filter form a
 * group: the group conflates points (latest per vehicle) into ONE frame, serialized once and
 * shared by all its sockets. A frame goes out `coalesceMs` after the first news it carries (so
 * commits landing together share it), but never sooner than `flushMs` after the group's previous
 * frame (so a socket gets at most 1000 / `flushMs` frames a second however busy the fleet).
 * A socket still holding an unsent frame gets the next one merged into it (`FrameMailbox`).
 */
export interface LiveHubOptions {
  /** Least time between two frames of a group (at most 20 a second by default). */
  flushMs: number
  /** How long the first news after a frame waits for more news to join it. */
  coalesceMs: number
  /** A socket with more unsent bytes than this gets no new frame; its points keep conflating. */
  socketBacklogBytes: number
  /** A socket that stays over the backlog this long is closed (the client reconnects, resumes). */
  slowSocketCloseMs: number
}

/** Watches the live path's stages (metrics); every call is cheap and synchronous. */
export interface LiveHubObserver {
  /** A group built a frame: its points, and how long the oldest of them waited for it. */
  frameBuilt(points: number, waitMs: number): void
  /** A frame was handed to one socket, `delayMs` after it was built. */
  frameSent(delayMs: number): void
}

export const LIVE_HUB_DEFAULTS: LiveHubOptions = {
  flushMs: 50,
  coalesceMs: 10,
  socketBacklogBytes: 1024 * 1024,
  slowSocketCloseMs: 10_000,
}

export class LiveHub {
  private readonly orgs = new Map<string, OrgState>()
  readonly options: LiveHubOptions
  /** Set by the server to feed its metrics. */
  observer: LiveHubObserver | undefined

  constructor(
    private readonly bus: LiveBus,
    options: Partial<LiveHubOptions> = {},
  ) {
    this.options = { ...LIVE_HUB_DEFAULTS, ...options }
  }

  /** Sends a message to every node's subscribers of its organization. */
  publish(message: LiveMessage): Promise<void> {
    return this.bus.publish(message)
  }

  /** The organization's entries after `afterId`, or null if some of them are no longer kept. */
  since(orgId: string, afterId: string): Promise<LiveEntry[] | null> {
    return this.bus.since(orgId, afterId)
  }

  /** The id of the organization's newest entry (`0-0` when there is none). */
  latestId(orgId: string): Promise<string> {
    return this.bus.latestId(orgId)
  }

  joinPoints(
    orgId: string,
    filter: LiveFilter,
  ): { mailbox: FrameMailbox; keys: CompactKeys; leave: () => void } {
    const org = this.org(orgId)
    const key = JSON.stringify([filter.vehicleIds ?? null, filter.bbox ?? null])
    let group = org.groups.get(key)
    if (!group) {
      group = {
        filter,
        keys: new CompactKeys(),
        mailboxes: new Set(),
        pending: new Map(),
        lastId: org.lastId,
        lastFlushAt: Number.NEGATIVE_INFINITY,
        pendingSince: 0,
        timer: undefined,
      }
      org.groups.set(key, group)
    }
    const mailbox = new FrameMailbox()
    group.mailboxes.add(mailbox)
    const joined = group
    return {
      mailbox,
      keys: joined.keys,
      leave: () => {
        joined.mailboxes.delete(mailbox)
        if (joined.mailboxes.size === 0) {
          clearTimeout(joined.timer)
          org.groups.delete(key)
        }
        this.release(orgId)
      },
    }
  }

  joinFleet(orgId: string, listener: (id: string, change: FleetChange) => void): () => void {
    const org = this.org(orgId)
    org.fleetListeners.add(listener)
    return () => {
      org.fleetListeners.delete(listener)
      this.release(orgId)
    }
  }

  joinAlerts(orgId: string, listener: (id: string, alert: LiveAlert) => void): () => void {
    const org = this.org(orgId)
    org.alertListeners.add(listener)
    return () => {
      org.alertListeners.delete(listener)
      this.release(orgId)
    }
  }

  /** Notifications of the organization's users (the listener picks its user's). */
  joinNotifications(
    orgId: string,
    listener: (id: string, notification: LiveNotification) => void,
  ): () => void {
    const org = this.org(orgId)
    org.notificationListeners.add(listener)
    return () => {
      org.notificationListeners.delete(listener)
      this.release(orgId)
    }
  }

  /** Stops fanning out (subscribers get nothing more), then closes the bus. */
  async close(): Promise<void> {
    for (const org of this.orgs.values()) {
      org.unsubscribe()
      for (const group of org.groups.values()) clearTimeout(group.timer)
    }
    this.orgs.clear()
    await this.bus.close()
  }

  /** Sends every group's pending frame now (tests, shutdown). */
  flush(): void {
    for (const org of this.orgs.values()) {
      for (const group of org.groups.values()) this.flushGroup(group)
    }
  }

  private flushGroup(group: Group): void {
    clearTimeout(group.timer)
    group.timer = undefined
    if (group.pending.size === 0 || !group.lastId) return
    const frame = new SharedFrame([...group.pending.values()], false, group.keys)
    group.lastFlushAt = frame.builtAt
    this.observer?.frameBuilt(group.pending.size, frame.builtAt - group.pendingSince)
    group.pending = new Map()
    for (const mailbox of group.mailboxes) mailbox.put({ id: group.lastId, frame })
  }

  private scheduleFlush(group: Group): void {
    if (group.timer || group.pending.size === 0) return
    const due = Math.max(
      group.pendingSince + this.options.coalesceMs,
      group.lastFlushAt + this.options.flushMs,
    )
    const wait = Math.max(0, due - performance.now())
    group.timer = setTimeout(() => this.flushGroup(group), wait)
  }

  private org(orgId: string): OrgState {
    let org = this.orgs.get(orgId)
    if (!org) {
      const state: OrgState = {
        unsubscribe: () => {},
        groups: new Map(),
        fleetListeners: new Set(),
        alertListeners: new Set(),
        notificationListeners: new Set(),
        lastId: null,
      }
      state.unsubscribe = this.bus.subscribe(orgId, (entry) => this.onEntry(state, entry))
      this.orgs.set(orgId, state)
      org = state
    }
    return org
  }

  private release(orgId: string): void {
    const org = this.orgs.get(orgId)
    if (
      org &&
      org.groups.size === 0 &&
      org.fleetListeners.size === 0 &&
      org.alertListeners.size === 0 &&
      org.notificationListeners.size === 0
    ) {
      org.unsubscribe()
      this.orgs.delete(orgId)
    }
  }

  private onEntry(org: OrgState, entry: LiveEntry): void {
    org.lastId = entry.id
    const message = entry.message
    if (message.kind === 'fleet') {
      for (const listener of org.fleetListeners) listener(entry.id, message.change)
      return
    }
    if (message.kind === 'alert') {
      for (const listener of org.alertListeners) listener(entry.id, message.alert)
      return
    }
    if (message.kind === 'notification') {
      for (const listener of org.notificationListeners) listener(entry.id, message.notification)
      return
    }
    for (const group of org.groups.values()) {
      group.lastId = entry.id
      if (group.pending.size === 0) group.pendingSince = performance.now()
      for (const point of message.points) {
        if (matchesFilter(group.filter, point)) mergeLatest(group.pending, point)
      }
      this.scheduleFlush(group)
    }
  }
}
