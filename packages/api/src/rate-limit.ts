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
  /** Remembers a fact (e.g. "the owner signs in from here") for `ttlMs`. */
  remember(key: string, ttlMs: number): Promise<void>
  /** Whether `remember` was called for the key within its time. */
  recalls(key: string): Promise<boolean>
}

/**
 * The key a client address is limited under: an IPv4 address as it is, an IPv6 address by its
 * /64 (one subscriber's allocation; counting single IPv6 addresses would give every client 2^64).
 */
export function addressKey(address: string): string {
  if (!address.includes(':')) return address
  const [head = '', tail = ''] = address.toLowerCase().split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = address.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}

/**
 * Fixed windows in this process, bounded by `maxKeys`. When full, ended windows are swept; if
 * none has ended, a new key is refused until the oldest ends (dropping a live window would let
 * a flood of fresh keys reset a victim's counters).
 */
export class MemoryAttemptLimiter implements AttemptLimiter {
  private readonly windows = new Map<string, { end: number; count: number }>()
  /** Remembered facts, apart from the counters: dropping the oldest only loses an exemption. */
  private readonly facts = new Map<string, number>()

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
    const newKeys = rules.filter((rule) => !this.current(rule.key, now)).length
    if (waitMs === 0 && this.windows.size + newKeys > this.maxKeys) {
      this.sweep(now)
      const oldest = this.windows.values().next().value
      if (this.windows.size + newKeys > this.maxKeys && oldest) waitMs = oldest.end - now
    }
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000))
    for (const rule of rules) {
      const window = this.current(rule.key, now)
      if (window) window.count++
      else this.windows.set(rule.key, { end: now + rule.windowMs, count: 1 })
    }
    return 0
  }

  async remember(key: string, ttlMs: number): Promise<void> {
    this.facts.delete(key)
    this.facts.set(key, this.now() + ttlMs)
    while (this.facts.size > this.maxKeys) {
      const oldest = this.facts.keys().next().value
      if (oldest === undefined) break
      this.facts.delete(oldest)
    }
  }

  async recalls(key: string): Promise<boolean> {
    const end = this.facts.get(key)
    if (end === undefined) return false
    if (end > this.now()) return true
    this.facts.delete(key)
    return false
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

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.end <= now) this.windows.delete(key)
  }
}
