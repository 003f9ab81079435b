import { describe, expect, it } from 'vitest'
import { addressKey, MemoryAttemptLimiter } from './rate-limit.ts'

describe('addressKey', () => {
  it('keeps IPv4 addresses and groups IPv6 addresses by their /64', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9')
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressKey('2001:0DB8:0000:0000:ffff::2')).toBe('2001:db8:0:0::/64')
    expect(addressKey('2001:db8:0:1::2')).toBe('2001:db8:0:1::/64')
    expect(addressKey('::1')).toBe('0:0:0:0::/64')
  })
})

describe('MemoryAttemptLimiter', () => {
  it('reserves all rules or none, and a window ends', async () => {
    let now = 0
    const limiter = new MemoryAttemptLimiter(100, () => now)
    const rules = [
      { key: 'a', limit: 2, windowMs: 1000 },
      { key: 'b', limit: 5, windowMs: 1000 },
    ]
    expect(await limiter.reserve(rules)).toBe(0)
    expect(await limiter.reserve(rules)).toBe(0)
    expect(await limiter.reserve(rules)).toBe(1)
    // The refused attempt was charged to neither rule: b still has room for three.
    for (let i = 0; i < 3; i++) expect(await limiter.reserve([rules[1]!])).toBe(0)
    expect(await limiter.reserve([rules[1]!])).toBe(1)
    now = 1000
    expect(await limiter.reserve(rules)).toBe(0)
  })

  it('refuses new keys rather than dropping live windows when full', async () => {
    let now = 0
    const limiter = new MemoryAttemptLimiter(2, () => now)
    const rule = (key: string) => ({ key, limit: 1, windowMs: 10_000 })
    expect(await limiter.reserve([rule('victim')])).toBe(0)
    expect(await limiter.reserve([rule('flood-1')])).toBe(0)
    expect(await limiter.reserve([rule('flood-2')])).toBe(10)
    // The victim's window was kept.
    expect(await limiter.reserve([rule('victim')])).toBe(10)
    now = 10_000
    expect(await limiter.reserve([rule('flood-2')])).toBe(0)
  })

  it('remembers a fact for its time, apart from the counters', async () => {
    let now = 0
    const limiter = new MemoryAttemptLimiter(1, () => now)
    await limiter.remember('known', 500)
    await limiter.remember('also-known', 500)
    expect(await limiter.recalls('known')).toBe(false)
    expect(await limiter.recalls('also-known')).toBe(true)
    // Facts take no room from the counters.
    expect(await limiter.reserve([{ key: 'a', limit: 1, windowMs: 1000 }])).toBe(0)
    now = 500
    expect(await limiter.recalls('also-known')).toBe(false)
  })
})
