import { describe, expect, it } from 'vitest'
import { deriveSecretKey, openSecret, sealSecret } from './secret-box.ts'
import {
  generateRecoveryCodes,
  generateTotpSecret,
  hashRecoveryCode,
  matchTotpStep,
  totpCodeAt,
  totpUri,
} from './totp.ts'

describe('TOTP', () => {
  it('matches the RFC 6238 SHA-1 vector at 59 s', () => {
    // RFC 6238 appendix B: secret "12345678901234567890" (base32 below), T = 59 -> 94287082 (8
    // digits); its last six digits are the 6-digit code.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
    expect(totpCodeAt(secret, 59_000)).toBe('287082')
    expect(matchTotpStep({ secret, code: '287082', lastStep: null, now: 59_000 })).toBe(1)
  })

  it('accepts one step either side and refuses older or reused steps', () => {
    const secret = generateTotpSecret()
    const now = 1_800_000_000_000
    const previous = totpCodeAt(secret, now - 30_000)
    const step = Math.floor(now / 30_000)
    expect(matchTotpStep({ secret, code: previous, lastStep: null, now })).toBe(step - 1)
    expect(
      matchTotpStep({ secret, code: totpCodeAt(secret, now - 90_000), lastStep: null, now }),
    ).toBeNull()
    const current = totpCodeAt(secret, now)
    expect(matchTotpStep({ secret, code: current, lastStep: step, now })).toBeNull()
    expect(matchTotpStep({ secret, code: previous, lastStep: step - 1, now })).toBeNull()
    expect(matchTotpStep({ secret, code: 'abcdef', lastStep: null, now })).toBeNull()
  })

  it('writes an otpauth URI naming the issuer and account', () => {
    const uri = totpUri({ secret: 'JBSWY3DPEHPK3PXP', account: 'a@example.com', issuer: 'FMS' })
    expect(uri).toMatch(/^otpauth:\/\/totp\/FMS:a%40example\.com\?secret=JBSWY3DPEHPK3PXP/)
  })

  it('makes ten distinct recovery codes and hashes them regardless of case and dashes', () => {
    const { codes, hashes } = generateRecoveryCodes()
    expect(new Set(codes).size).toBe(10)
    expect(codes[0]).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/)
    expect(hashRecoveryCode(` ${codes[0]?.toUpperCase().replace('-', '')} `)).toBe(hashes[0])
  })
})

describe('secret box', () => {
  it('seals and opens; a changed byte or another key fails', () => {
    const key = deriveSecretKey('server secret '.padEnd(40, 'x'), 'totp')
    const sealed = sealSecret(key, 'JBSWY3DPEHPK3PXP')
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP')
    expect(openSecret(key, sealed)).toBe('JBSWY3DPEHPK3PXP')
    expect(() => openSecret(deriveSecretKey('another', 'totp'), sealed)).toThrow()
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`
    expect(() => openSecret(key, tampered)).toThrow()
  })
})
