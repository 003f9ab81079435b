/**
 * Fixed-window counter per key, bounded in memory: at most `maxKeys` keys are tracked, the oldest
 * window is evicted first. Used for login attempts (per email and per client address).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>()

  constructor(
    private readonly options: { limit: number; windowMs: number; maxKeys?: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit; returns the seconds to wait when over the limit, else 0. */
  hit(key: string): number {
    const now = this.now()
    let window = this.windows.get(key)
    if (!window || now - window.start >= this.options.windowMs) {
      this.windows.delete(key)
      window = { start: now, count: 0 }
      this.windows.set(key, window)
      this.evict()
    }
    window.count++
    if (window.count <= this.options.limit) return 0
    return Math.max(1, Math.ceil((window.start + this.options.windowMs - now) / 1000))
  }

  /** Seconds to wait if the key is over its limit now, without counting a hit. */
  blockedFor(key: string): number {
    const window = this.windows.get(key)
    const now = this.now()
    if (!window || now - window.start >= this.options.windowMs) return 0
    if (window.count < this.options.limit) return 0
    return Math.max(1, Math.ceil((window.start + this.options.windowMs - now) / 1000))
  }

  reset(key: string): void {
    this.windows.delete(key)
  }

  private evict(): void {
    const max = this.options.maxKeys ?? 100_000
    while (this.windows.size > max) {
      const oldest = this.windows.keys().next().value
      if (oldest === undefined) return
      this.windows.delete(oldest)
    }
  }
}
