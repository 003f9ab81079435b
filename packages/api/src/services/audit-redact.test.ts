import { describe, expect, it } from 'vitest'
import { diffFields, isSecretName, REDACTED, redact } from './audit-redact.ts'

describe('audit redaction', () => {
  it('redacts fields named for secrets whatever they hold', () => {
    expect(
      redact({
        password: 'hunter22',
        tokenHash: 'abc',
        refreshToken: 'x',
        clientSecret: 'y',
        otp: '123456',
        recoveryCode: 'aaaa-bbbb',
        title: 'Gateway',
      }),
    ).toEqual({
      password: REDACTED,
      tokenHash: REDACTED,
      refreshToken: REDACTED,
      clientSecret: REDACTED,
      otp: REDACTED,
      recoveryCode: REDACTED,
      title: 'Gateway',
    })
  })

  it('keeps references named after a secret (tokenId) and plain fields such as code', () => {
    expect(isSecretName('tokenId')).toBe(false)
    expect(isSecretName('code')).toBe(false)
    expect(isSecretName('previous_token_hash')).toBe(true)
    const id = '0b6f1c8e-2f7a-4a55-9d7e-3c1f0e9a8b7c'
    expect(redact({ tokenId: id, code: 'V-12' })).toEqual({ tokenId: id, code: 'V-12' })
  })

  it('redacts values that look like credentials in any field', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijk'
    expect(redact({ note: `use fmd_ABCDEFGH_${'x'.repeat(43)}` })).toEqual({ note: REDACTED })
    expect(redact({ note: jwt })).toEqual({ note: REDACTED })
    // A share link inside its path or URL, whatever characters its base64url holds.
    const share = `fsl_${'-_aZ09'.repeat(7)}A`
    expect(
      redact({ path: `/#/share/${share}`, url: `https://fms.example/#/share/${share}` }),
    ).toEqual({ path: REDACTED, url: REDACTED })
    expect(redact(['otpauth://totp/FMS:a?secret=JBSWY3DPEHPK3PXP'])).toEqual([REDACTED])
    expect(redact({ url: 'https://user:pa55@example.com/hook' })).toEqual({ url: REDACTED })
    expect(redact({ blob: 'a'.repeat(40) })).toEqual({ blob: REDACTED })
    expect(redact({ url: 'https://example.com/hook?x=1' })).toEqual({
      url: 'https://example.com/hook?x=1',
    })
  })

  it('bounds hostile input: depth, arrays, strings; drops prototype keys', () => {
    const deep = { a: { b: { c: { d: { e: 1 } } } } }
    expect(redact(deep)).toEqual({ a: { b: { c: { d: null } } } })
    expect((redact(Array.from({ length: 500 }, (_, i) => i)) as unknown[]).length).toBe(50)
    expect((redact('é '.repeat(1000)) as string).length).toBeLessThan(510)
    const polluted = JSON.parse('{"__proto__": {"x": 1}, "ok": 1}')
    expect(redact(polluted)).toEqual({ ok: 1 })
  })

  it('diffs only changed fields, leaving out updatedAt and secret fields', () => {
    const before = { id: '1', plate: 'A', tokenHash: 'h1', updatedAt: new Date(1), extra: 1 }
    const after = { id: '1', plate: 'B', updatedAt: new Date(2) }
    expect(diffFields(before, after)).toEqual({ plate: { before: 'A', after: 'B' } })
    expect(diffFields(null, { id: '1', secret: 's' })).toEqual({ id: { before: null, after: '1' } })
    expect(diffFields({ id: '1' }, null)).toEqual({ id: { before: '1', after: null } })
    expect(diffFields({ a: 1 }, { a: 1 })).toBeNull()
  })
})
