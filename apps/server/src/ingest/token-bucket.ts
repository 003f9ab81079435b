/**
 * Per-key token buckets (requests per second with a burst of twice that), bounded in memory: idle
 * buckets are full anyway, so the oldest are dropped first when there are too many keys. A key's
 * rate may be scaled per call (a device token's ceiling grows with the devices it serves).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly maxKeys = 200_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; returns false when the key is over its rate. A rate of 0 disables limits. */
  take(key: string, scale = 1): boolean {
    return this.takeEach([key], scale) === null
  }

  /**
   * Takes one token from each key's bucket, all or nothing: returns the first key that is over
   * its rate (and takes nothing), or null when every key had a token.
   */
  takeEach(keys: Iterable<string>, scale = 1): string | null {
    if (this.ratePerSec <= 0) return null
    const now = this.now()
    const buckets: { tokens: number }[] = []
    for (const key of keys) {
      const bucket = this.refill(key, now, scale)
      if (bucket.tokens < 1) return key
      buckets.push(bucket)
    }
    for (const bucket of buckets) bucket.tokens -= 1
    return null
  }

  /** Gives back a token taken for `key` (a request that turned out not to count). */
  refund(key: string, scale = 1): void {
    const bucket = this.buckets.get(key)
    if (bucket) bucket.tokens = Math.min(this.burst * scale, bucket.tokens + 1)
  }

  private refill(key: string, now: number, scale: number): { tokens: number; at: number } {
    const burst = this.burst * scale
    let bucket = this.buckets.get(key)
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next().value
        if (oldest !== undefined) this.buckets.delete(oldest)
      }
      bucket = { tokens: burst, at: now }
      this.buckets.set(key, bucket)
      return bucket
    }
    bucket.tokens = Math.min(
      burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSec * scale,
    )
    bucket.at = now
    return bucket
  }
}
