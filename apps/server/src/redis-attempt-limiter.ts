import { createHash } from 'node:crypto'
import type { AttemptLimiter, AttemptRule } from '@fms/api'
import { createRedisClient, type RedisClient } from '@fms/live'
import { errorFields, logger } from './logger.ts'

/**
 * Checks every rule and, only if none is at its limit, counts the attempt in all of them: one
 * script, so concurrent attempts on any number of nodes are counted exactly. ARGV holds limit and
 * window (ms) per key. Returns 0, or the milliseconds until the fullest window ends.
 */
const RESERVE = `
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i - 1])
  local count = tonumber(redis.call('GET', key) or '0')
  if count >= limit then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then
      ttl = tonumber(ARGV[2 * i])
      redis.call('PEXPIRE', key, ttl)
    end
    if ttl > wait then wait = ttl end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[2 * i]) end
end
return 0
`

const RELEASE = `
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 0
`

/** A command that takes longer than this fails (the sign-in answers 503) instead of hanging. */
const COMMAND_TIMEOUT_MS = 2000

/**
 * Attempt limits shared by every node through Redis. Keys are digests (an email is hostile
 * input) under one hash tag, so a multi-key script also runs on a Redis cluster.
 */
export class RedisAttemptLimiter implements AttemptLimiter {
  private constructor(private readonly client: RedisClient) {}

  static async connect(url: string): Promise<RedisAttemptLimiter> {
    // While Redis is away, sign-ins fail at once (503) instead of queueing.
    const client = createRedisClient(url, { queueMax: 1000, failFast: true })
    client.on('error', (error: unknown) => logger.warn('redis error (limits)', errorFields(error)))
    await client.connect()
    return new RedisAttemptLimiter(client)
  }

  async reserve(rules: readonly AttemptRule[]): Promise<number> {
    const waitMs = await this.run(RESERVE, {
      keys: rules.map((rule) => redisKey(rule.key)),
      arguments: rules.flatMap((rule) => [String(rule.limit), String(rule.windowMs)]),
    })
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0
  }

  async release(keys: readonly string[]): Promise<void> {
    await this.run(RELEASE, { keys: keys.map(redisKey), arguments: [] })
  }

  async remember(key: string, ttlMs: number): Promise<void> {
    await this.withTimeout(this.client.set(redisKey(key), '1', { PX: ttlMs }))
  }

  async recalls(key: string): Promise<boolean> {
    return (await this.withTimeout(this.client.exists(redisKey(key)))) > 0
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => {})
  }

  private async run(script: string, options: { keys: string[]; arguments: string[] }) {
    return Number(await this.withTimeout(this.client.eval(script, options)))
  }

  private async withTimeout<T>(command: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('redis limits timed out')), COMMAND_TIMEOUT_MS)
    })
    try {
      return await Promise.race([command, timeout])
    } finally {
      clearTimeout(timer)
    }
  }
}

function redisKey(key: string): string {
  return `fms:limits:{auth}:${createHash('sha256').update(key).digest('base64url')}`
}
