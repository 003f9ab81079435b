import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  deriveShareToken,
  generateApiKey,
  generateDeviceToken,
  generateRefreshToken,
  generateShareNonce,
  hashOpaqueToken,
  isShareToken,
  looksLikeApiKey,
  parseApiKey,
  parseDeviceToken,
  verifyApiKey,
  verifyDeviceToken,
} from './opaque-tokens.ts'

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

/** Replaces the character at `index` with another one from the same alphabet. */
function changeCharAt(token: string, index: number): string {
  const replacement = token[index] === 'A' ? 'B' : 'A'
  return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`
}

describe('refresh tokens', () => {
  it('are fmr_ followed by 32 random bytes in base64url', () => {
    const { token } = generateRefreshToken()
    expect(token).toMatch(/^fmr_[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32)
  })

  it('are unique across many generations', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateRefreshToken().token))
    expect(tokens.size).toBe(1000)
  })

  it('come with the sha256 hex digest of the token as their hash', () => {
    const { token, hash } = generateRefreshToken()
    expect(hash).toBe(sha256(token))
    expect(hashOpaqueToken(token)).toBe(hash)
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('device tokens', () => {
  it('are fmd_<8 alphanumerics>_<32 random bytes in base64url>', () => {
    const { token, prefix } = generateDeviceToken()
    expect(prefix).toMatch(/^[A-Za-z0-9]{8}$/)
    expect(token.startsWith(`fmd_${prefix}_`)).toBe(true)
    expect(Buffer.from(token.slice(`fmd_${prefix}_`.length), 'base64url')).toHaveLength(32)
  })

  it('store the sha256 hex digest of the whole token, not the secret alone', () => {
    const { token, hash } = generateDeviceToken()
    expect(hash).toBe(sha256(token))
  })

  it('get distinct prefixes and secrets each time', () => {
    const generated = Array.from({ length: 1000 }, () => generateDeviceToken())
    expect(new Set(generated.map((g) => g.token)).size).toBe(1000)
    expect(new Set(generated.map((g) => g.prefix)).size).toBe(1000)
  })

  it('parse back to their prefix', () => {
    const { token, prefix } = generateDeviceToken()
    expect(parseDeviceToken(token)).toEqual({ prefix })
  })
})

describe('parseDeviceToken', () => {
  const { token } = generateDeviceToken()
  const secret = token.slice(13)

  it.each([
    ['an empty string', ''],
    ['a refresh token', generateRefreshToken().token],
    ['the wrong scheme', `fmx_${token.slice(4)}`],
    ['an upper-case scheme', `FMD_${token.slice(4)}`],
    ['a 7-character prefix', `fmd_ABCDEFG_${secret}`],
    ['a 9-character prefix', `fmd_ABCDEFGHI_${secret}`],
    ['a prefix with a symbol', `fmd_ABCD-FGH_${secret}`],
    ['a missing separator', `fmd_ABCDEFGH${secret}`],
    ['a truncated secret', token.slice(0, -1)],
    ['an extra character', `${token}A`],
    ['base64 padding', `${token}=`],
    ['standard base64 characters', `${token.slice(0, -2)}+${token.slice(-1)}`],
    ['a non-canonical last character', `${token.slice(0, -1)}B`],
    ['a leading space', ` ${token}`],
    ['a trailing newline', `${token}\n`],
    ['a Bearer scheme', `Bearer ${token}`],
    ['a non-ASCII look-alike', token.replace(/^fmd/, 'fmԁ')],
    ['a non-string', 12345 as unknown as string],
    ['null', null as unknown as string],
  ])('rejects %s', (_name, candidate) => {
    expect(parseDeviceToken(candidate)).toBeNull()
  })
})

describe('verifyDeviceToken', () => {
  const { token, hash } = generateDeviceToken()

  it('accepts the token matching the stored hash', () => {
    expect(verifyDeviceToken(token, hash)).toBe(true)
  })

  it('rejects the token when any single character of the secret changes', () => {
    for (let index = 13; index < token.length - 1; index++) {
      expect(verifyDeviceToken(changeCharAt(token, index), hash)).toBe(false)
    }
  })

  it('rejects the token when its prefix changes', () => {
    expect(verifyDeviceToken(changeCharAt(token, 4), hash)).toBe(false)
  })

  it("rejects another device's token", () => {
    expect(verifyDeviceToken(generateDeviceToken().token, hash)).toBe(false)
  })

  it('returns false without throwing for a stored hash of the wrong length or type', () => {
    expect(verifyDeviceToken(token, hash.slice(0, -1))).toBe(false)
    expect(verifyDeviceToken(token, `${hash}0`)).toBe(false)
    expect(verifyDeviceToken(token, '')).toBe(false)
    expect(verifyDeviceToken(token, undefined as unknown as string)).toBe(false)
  })

  it('returns false for a malformed token even if the hash matches it', () => {
    const malformed = `${token} `
    expect(verifyDeviceToken(malformed, sha256(malformed))).toBe(false)
  })
})

describe('API keys', () => {
  const { token, prefix, hash } = generateApiKey()

  it('are fmk_<8 alphanumerics>_<32 random bytes in base64url>, stored as their digest', () => {
    expect(token.startsWith(`fmk_${prefix}_`)).toBe(true)
    expect(Buffer.from(token.slice(`fmk_${prefix}_`.length), 'base64url')).toHaveLength(32)
    expect(hash).toBe(sha256(token))
    expect(parseApiKey(token)).toEqual({ prefix })
    expect(looksLikeApiKey(token)).toBe(true)
  })

  it('verify only against their own digest', () => {
    expect(verifyApiKey(token, hash)).toBe(true)
    expect(verifyApiKey(changeCharAt(token, 20), hash)).toBe(false)
    expect(verifyApiKey(generateApiKey().token, hash)).toBe(false)
  })

  it('are not device tokens, and device tokens are not API keys', () => {
    const device = generateDeviceToken()
    expect(parseDeviceToken(token)).toBeNull()
    expect(verifyDeviceToken(token, hash)).toBe(false)
    expect(parseApiKey(device.token)).toBeNull()
    expect(verifyApiKey(device.token, device.hash)).toBe(false)
    expect(looksLikeApiKey(device.token)).toBe(false)
  })
})

describe('share tokens', () => {
  const key = 'k'.repeat(64)

  it('derives the same 256-bit token from the same nonce and key, another from another', () => {
    const nonce = generateShareNonce()
    const token = deriveShareToken(key, nonce)
    expect(token).toMatch(/^fsl_[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32)
    expect(deriveShareToken(key, nonce)).toBe(token)
    expect(deriveShareToken('j'.repeat(64), nonce)).not.toBe(token)
    expect(deriveShareToken(key, generateShareNonce())).not.toBe(token)
  })

  it('recognizes only the canonical share token form', () => {
    const token = deriveShareToken(key, generateShareNonce())
    expect(isShareToken(token)).toBe(true)
    expect(isShareToken(`${token}A`)).toBe(false)
    expect(isShareToken(token.replace('fsl_', 'fmd_'))).toBe(false)
    expect(isShareToken(42)).toBe(false)
  })
})
