/** One counter an attempt is charged to: at most `limit` attempts per fixed window of `windowMs`. */
export interface AttemptRule {
  key: string
  limit: number
  windowMs: number
}

/**
 * Counts attempts (sign-ins, sign-ups) before the work they cost is done. `reserve` charges one
 * attempt to every rule at once or, when any rule is at its limit, to none: checking and counting
 * are one step, so concurrent or batched attempts can't all pass a check made before any of them
 * was counted. A window ends `windowMs` after its first attempt, so a lock always ends.
 * In memory for one node; in Redis (one script, atomic) when nodes share the limits.
 */
export interface AttemptLimiter {
  /** 0 when the attempt was charged to every rule; else the seconds until it may be tried again. */
  reserve(rules: readonly AttemptRule[]): Promise<number>
  /** Gives one reserved attempt back (it turned out not to count, e.g. a correct password). */
  release(keys: readonly string[]): Promise<void>
}

/** Fixed windows in this process, bounded: past `maxKeys` the oldest window is dropped. */
export class MemoryAttemptLimiter implements AttemptLimiter {
  private readonly windows = new Map<string, { end: number; count: number }>()

  constructor(
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async reserve(rules: readonly AttemptRule[]): Promise<number> {
    const now = this.now()
    let waitMs = 0
    for (const rule of rules) {
      const window = this.current(rule.key, now)
      if (window && window.count >= rule.limit) waitMs = Math.max(waitMs, window.end - now)
    }
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000))
    for (const rule of rules) {
      const window = this.current(rule.key, now)
      if (window) window.count++
      else this.windows.set(rule.key, { end: now + rule.windowMs, count: 1 })
    }
    this.evict()
    return 0
  }

  async release(keys: readonly string[]): Promise<void> {
    const now = this.now()
    for (const key of keys) {
      const window = this.current(key, now)
      if (window && window.count > 0) window.count--
    }
  }

  private current(key: string, now: number) {
    const window = this.windows.get(key)
    if (window && window.end > now) return window
    if (window) this.windows.delete(key)
    return undefined
  }

  private evict(): void {
    while (this.windows.size > this.maxKeys) {
      const oldest = this.windows.keys().next().value
      if (oldest === undefined) return
      this.windows.delete(oldest)
    }
  }
}
