import { compareLiveIds, type LiveEntry, type LiveMessage } from './types.ts'

/**
 * The live bus: committed telemetry and fleet changes, per organization, in one order with ids,
 * and a bounded recent history for clients that resume. In-process by default; Redis Streams
 * across nodes (`redis-bus.ts`). Only the hub uses it.
 */
export interface LiveBus {
  publish(message: LiveMessage): Promise<void>
  /** Calls `listener` with each entry of the organization from now on; returns unsubscribe. */
  subscribe(orgId: string, listener: (entry: LiveEntry) => void): () => void
  /**
   * Entries after `afterId`, oldest first; null when `afterId` is older than the kept history
   * (the client must take a fresh snapshot).
   */
  since(orgId: string, afterId: string): Promise<LiveEntry[] | null>
  /** The organization's newest id, or `0-0` when it has none: a resume position. */
  latestId(orgId: string): Promise<string>
  close(): Promise<void>
}

interface OrgStream {
  entries: LiveEntry[]
  /** Points held in `entries` (a fleet or alert entry counts as one). */
  weight: number
  listeners: Set<(entry: LiveEntry) => void>
  /** The newest id dropped from the history, if any: positions before it may have gaps. */
  maxDroppedId: string | null
}

/** One process: ids from a local clock and sequence; history bounded per organization. */
export class InProcessLiveBus implements LiveBus {
  private readonly streams = new Map<string, OrgStream>()
  private lastMs = 0
  private seq = 0

  /**
   * The history per organization is bounded by entries and by points: an entry is a committed
   * batch, up to the writer's batch size (20,000 points), so 1,000 entries alone could hold
   * millions of points under load. A client that fell further behind takes a fresh snapshot.
   * The point bound is generous (about 200 MB of points; some 50 s of 20,000 vehicles at 1 Hz)
   * because alert and fleet entries share this history and age out with the points: the
   * alert and fleet streams treat a resume from before the kept history as "nothing missed".
   */
  constructor(
    private readonly maxEntriesPerOrg = 1000,
    private readonly maxPointsPerOrg = 1_000_000,
  ) {}

  async publish(message: LiveMessage): Promise<void> {
    this.deliver(message.orgId, { id: this.nextId(), message })
  }

  /** Hands an entry with an id assigned elsewhere (e.g. by Redis) to local listeners. */
  deliver(orgId: string, entry: LiveEntry): void {
    const stream = this.stream(orgId)
    stream.entries.push(entry)
    stream.weight += weightOf(entry)
    let drop = 0
    // The newest entry always stays, however large.
    while (
      drop < stream.entries.length - 1 &&
      (stream.entries.length - drop > this.maxEntriesPerOrg || stream.weight > this.maxPointsPerOrg)
    ) {
      stream.weight -= weightOf(stream.entries[drop] as LiveEntry)
      drop++
    }
    if (drop > 0) {
      const dropped = stream.entries.splice(0, drop)
      stream.maxDroppedId = dropped.at(-1)?.id ?? stream.maxDroppedId
    }
    for (const listener of stream.listeners) listener(entry)
  }

  subscribe(orgId: string, listener: (entry: LiveEntry) => void): () => void {
    const stream = this.stream(orgId)
    stream.listeners.add(listener)
    return () => {
      stream.listeners.delete(listener)
    }
  }

  async since(orgId: string, afterId: string): Promise<LiveEntry[] | null> {
    const stream = this.streams.get(orgId)
    if (!stream) return []
    // Older than what is kept: entries after it were dropped.
    if (stream.maxDroppedId && compareLiveIds(afterId, stream.maxDroppedId) < 0) return null
    return stream.entries.filter((entry) => compareLiveIds(entry.id, afterId) > 0)
  }

  async latestId(orgId: string): Promise<string> {
    return this.streams.get(orgId)?.entries.at(-1)?.id ?? '0-0'
  }

  async close(): Promise<void> {
    this.streams.clear()
  }

  private stream(orgId: string): OrgStream {
    let stream = this.streams.get(orgId)
    if (!stream) {
      stream = { entries: [], weight: 0, listeners: new Set(), maxDroppedId: null }
      this.streams.set(orgId, stream)
    }
    return stream
  }

  private nextId(): string {
    const now = Date.now()
    if (now > this.lastMs) {
      this.lastMs = now
      this.seq = 0
    } else {
      this.seq++
    }
    return `${this.lastMs}-${this.seq}`
  }
}

function weightOf(entry: LiveEntry): number {
  return entry.message.kind === 'points' ? Math.max(1, entry.message.points.length) : 1
}
