import { parseOptions } from '@node-rs/argon2'
import { describe, expect, it } from 'vitest'
import {
  hashPassword,
  PASSWORD_MAX_LENGTH,
  verifyDummyPassword,
  verifyPassword,
} from './passwords.ts'

const PASSWORD = 'correct horse battery staple'
// One hash shared by the tests that only need *a* hash: each costs ~20-30 ms and 19 MiB.
const storedHash = hashPassword(PASSWORD)

describe('hashPassword', () => {
  it('produces an argon2id PHC string with at least OWASP cost (m >= 19456 KiB, t >= 2)', async () => {
    const hashed = await storedHash
    expect(hashed).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/)
    const options = parseOptions(hashed)
    expect(options.memoryCost).toBeGreaterThanOrEqual(19_456)
    expect(options.timeCost).toBeGreaterThanOrEqual(2)
    expect(options.saltLen).toBeGreaterThanOrEqual(16)
  })

  it('salts every hash, so the same password hashes differently twice', async () => {
    const again = await hashPassword(PASSWORD)
    expect(again).not.toBe(await storedHash)
    expect(await verifyPassword(again, PASSWORD)).toBe(true)
  })
})

describe('verifyPassword', () => {
  it('accepts the password that was hashed', async () => {
    expect(await verifyPassword(await storedHash, PASSWORD)).toBe(true)
  })

  it('refuses a different password', async () => {
    expect(await verifyPassword(await storedHash, `${PASSWORD}!`)).toBe(false)
  })

  it.each([
    ['an empty string', ''],
    ['garbage', 'not-a-hash'],
    ['a truncated PHC string', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$'],
    ['a bcrypt hash', '$2b$12$C6UzMDM.H6dfI/f/IKxGhuYbRHVGYGGW0PmrLbbkBtHLGzXCJQrDW'],
  ])('returns false instead of throwing for %s', async (_name, hashed) => {
    expect(await verifyPassword(hashed, PASSWORD)).toBe(false)
  })

  it('returns false for a hash whose declared cost would exhaust memory, without running it', async () => {
    const planted = '$argon2id$v=19$m=4294967295,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo'
    expect(await verifyPassword(planted, PASSWORD)).toBe(false)
  })

  it('returns false for an argon2i hash (only argon2id is accepted)', async () => {
    const argon2i = (await storedHash).replace('$argon2id$', '$argon2i$')
    expect(await verifyPassword(argon2i, PASSWORD)).toBe(false)
  })

  it('returns false for a password longer than PASSWORD_MAX_LENGTH', async () => {
    const tooLong = 'a'.repeat(PASSWORD_MAX_LENGTH + 1)
    expect(await verifyPassword(await storedHash, tooLong)).toBe(false)
  })
})

describe('verifyDummyPassword', () => {
  it('always resolves to false', async () => {
    expect(await verifyDummyPassword(PASSWORD)).toBe(false)
    expect(await verifyDummyPassword('')).toBe(false)
  })

  it('costs about as much as verifying a wrong password against a real hash', async () => {
    const hashed = await storedHash
    await verifyDummyPassword('warm-up') // the dummy hash is computed on first use
    const timeOnce = async (run: () => Promise<unknown>) => {
      const start = performance.now()
      await run()
      return performance.now() - start
    }
    // Interleaved, and the fastest run of each kept, so load from other test files evens out.
    let real = Number.POSITIVE_INFINITY
    let dummy = Number.POSITIVE_INFINITY
    for (let i = 0; i < 5; i++) {
      real = Math.min(real, await timeOnce(() => verifyPassword(hashed, 'wrong password')))
      dummy = Math.min(dummy, await timeOnce(() => verifyDummyPassword('wrong password')))
    }
    expect(dummy / real).toBeGreaterThan(0.5)
    expect(dummy / real).toBeLessThan(2)
  })
})
