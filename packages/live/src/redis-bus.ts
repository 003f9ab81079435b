import { InProcessLiveBus, type LiveBus } from './bus.ts'
import { createRedisClient, type RedisClient } from './redis-client.ts'
import { compareLiveIds, type LiveEntry, type LiveMessage } from './types.ts'

/** Where the bus reports what it survives (a lost connection, a failed read it retries). */
export type LiveBusWarn = (message: string, error: unknown) => void

const KEY_PREFIX = 'fms:live:'
/** Entries kept per organization stream (approximate trim): the resume window. */
const STREAM_MAX_ENTRIES = 1000
const READ_BLOCK_MS = 200
const RETRY_MS = 500

type Payload = Omit<LiveMessage, 'orgId'>

/**
 * The live bus across server nodes: one Redis Stream per organization. Redis assigns the ids, so
 * every node sees one order and a client can resume on any node (XRANGE after its last id).
 * Each node reads only the streams of organizations it has subscribers for. While Redis is
 * unreachable, publishes wait in the client's bounded offline queue and readers retry from their
 * cursor, so a reconnect leaves no gap.
 */
export class RedisLiveBus implements LiveBus {
  private readonly local = new InProcessLiveBus(STREAM_MAX_ENTRIES)
  /** Read position per organization with local subscribers. */
  private readonly cursors = new Map<string, string>()
  private readonly listenerCounts = new Map<string, number>()
  private isClosed = false
  private readLoop: Promise<void> | undefined

  private constructor(
    private readonly client: RedisClient,
    private readonly reader: RedisClient,
    private readonly warn: LiveBusWarn,
  ) {}

  static async connect(url: string, warn: LiveBusWarn): Promise<RedisLiveBus> {
    const client = createRedisClient(url, { queueMax: 10_000 })
    client.on('error', (error: unknown) => warn('redis error', error))
    const reader = client.duplicate()
    reader.on('error', () => {})
    await Promise.all([client.connect(), reader.connect()])
    const bus = new RedisLiveBus(client, reader, warn)
    bus.readLoop = bus.read()
    return bus
  }

  async publish(message: LiveMessage): Promise<void> {
    const { orgId, ...payload } = message
    await this.client.xAdd(
      KEY_PREFIX + orgId,
      '*',
      { data: JSON.stringify(payload) },
      { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: STREAM_MAX_ENTRIES } },
    )
  }

  subscribe(orgId: string, listener: (entry: LiveEntry) => void): () => void {
    const unsubscribe = this.local.subscribe(orgId, listener)
    const count = (this.listenerCounts.get(orgId) ?? 0) + 1
    this.listenerCounts.set(orgId, count)
    if (count === 1) {
      // Start reading after the newest entry now: nothing published from here on is missed.
      void this.latestId(orgId).then(
        (id) => {
          if (this.listenerCounts.has(orgId) && !this.cursors.has(orgId))
            this.cursors.set(orgId, id)
        },
        () => {
          if (this.listenerCounts.has(orgId) && !this.cursors.has(orgId))
            this.cursors.set(orgId, '$')
        },
      )
    }
    return () => {
      unsubscribe()
      const left = (this.listenerCounts.get(orgId) ?? 1) - 1
      if (left > 0) this.listenerCounts.set(orgId, left)
      else {
        this.listenerCounts.delete(orgId)
        this.cursors.delete(orgId)
      }
    }
  }

  async since(orgId: string, afterId: string): Promise<LiveEntry[] | null> {
    const key = KEY_PREFIX + orgId
    const [oldest] = (await this.client.xRange(key, '-', '+', { COUNT: 1 })) ?? []
    if (!oldest) return []
    if (compareLiveIds(afterId, oldest.id) < 0) {
      // Before the oldest kept entry: a gap only if the stream was ever trimmed.
      const [added, length] = (await this.client
        .multi()
        .xInfoStream(key)
        .xLen(key)
        .exec()) as unknown as [{ 'entries-added'?: number }, number]
      if ((added['entries-added'] ?? Number.POSITIVE_INFINITY) > length) return null
    }
    const entries = (await this.client.xRange(key, `(${afterId}`, '+', { COUNT: 10_000 })) ?? []
    return entries.map((entry) => toEntry(orgId, entry))
  }

  async latestId(orgId: string): Promise<string> {
    const [newest] = (await this.client.xRevRange(KEY_PREFIX + orgId, '+', '-', { COUNT: 1 })) ?? []
    return newest?.id ?? '0-0'
  }

  async close(): Promise<void> {
    this.isClosed = true
    await this.readLoop
    await Promise.allSettled([this.client.close(), this.reader.close()])
  }

  /** One blocking XREAD over the organizations with local subscribers, again and again. */
  private async read(): Promise<void> {
    while (!this.isClosed) {
      const streams = [...this.cursors].map(([orgId, id]) => ({ key: KEY_PREFIX + orgId, id }))
      if (streams.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, READ_BLOCK_MS))
        continue
      }
      try {
        const reply = await this.reader.xRead(streams, { BLOCK: READ_BLOCK_MS, COUNT: 500 })
        for (const stream of (reply ?? []) as StreamReply[]) {
          const orgId = String(stream.name).slice(KEY_PREFIX.length)
          for (const message of stream.messages) {
            if (!this.cursors.has(orgId)) break
            this.cursors.set(orgId, message.id)
            this.local.deliver(orgId, toEntry(orgId, message))
          }
        }
      } catch (error) {
        if (this.isClosed) return
        this.warn('live bus read failed; retrying', error)
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
      }
    }
  }
}

interface StreamMessage {
  id: string
  message: Record<string, string>
}

interface StreamReply {
  name: string
  messages: StreamMessage[]
}

function toEntry(orgId: string, message: StreamMessage): LiveEntry {
  const payload = JSON.parse(message.message.data ?? '{}') as Payload
  return { id: message.id, message: { ...payload, orgId } as LiveMessage }
}

export function createRedisLiveBus(url: string, warn: LiveBusWarn): Promise<RedisLiveBus> {
  return RedisLiveBus.connect(url, warn)
}
