import { createClient } from 'redis'

/**
 * A Redis client that reconnects with capped backoff and bounds its command queue. With
 * `failFast`, commands fail at once while disconnected instead of waiting in the offline queue.
 */
export function createRedisClient(url: string, options: { queueMax: number; failFast?: boolean }) {
  return createClient({
    url,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
    },
    commandsQueueMaxLength: options.queueMax,
    disableOfflineQueue: options.failFast ?? false,
  })
}

export type RedisClient = ReturnType<typeof createRedisClient>
