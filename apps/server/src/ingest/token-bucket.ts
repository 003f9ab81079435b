/**
 * Per-key token buckets (requests per second with a burst), bounded in memory: idle buckets are
 * full anyway, so the oldest are dropped first when there are too many keys.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; returns false when the key is over its rate. A rate of 0 disables limits. */
  take(key: string): boolean {
    if (this.ratePerSec <= 0) return true
    const now = this.now()
    const bucket = this.buckets.get(key)
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next().value
        if (oldest !== undefined) this.buckets.delete(oldest)
      }
      this.buckets.set(key, { tokens: this.burst - 1, at: now })
      return true
    }
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSec,
    )
    bucket.at = now
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }
}
