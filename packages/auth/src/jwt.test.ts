import { decodeJwt, decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { AuthError } from './errors.ts'
import { type AccessClaims, createJwtService } from './jwt.ts'

const SECRET = 'test-secret-that-is-at-least-32-characters-long'
const CLAIMS: AccessClaims = { sub: 'user-1', org: 'org-1', role: 'user' }

describe('createJwtService', () => {
  it('refuses a secret shorter than 32 characters', () => {
    expect(() => createJwtService({ secret: 'x'.repeat(31) })).toThrow(/at least 32/)
  })

  it('refuses a TTL that is not a positive whole number of seconds', () => {
    for (const accessTtlSec of [0, -1, 1.5, Number.NaN]) {
      expect(() => createJwtService({ secret: SECRET, accessTtlSec })).toThrow(/TTL/)
    }
  })
})

describe('signAccessToken', () => {
  const service = createJwtService({ secret: SECRET })

  it('round-trips the claims through verifyAccessToken', async () => {
    const { token } = await service.signAccessToken(CLAIMS)
    const verified = await service.verifyAccessToken(token)
    expect(verified).toEqual({ ...CLAIMS, exp: expect.any(Number), iat: expect.any(Number) })
    expect(verified.exp - verified.iat).toBe(900)
  })

  it('carries the session id (sid) when given, and still accepts tokens without one', async () => {
    const { token } = await service.signAccessToken({ ...CLAIMS, sid: 'family-1' })
    expect(decodeJwt(token).sid).toBe('family-1')
    expect((await service.verifyAccessToken(token)).sid).toBe('family-1')
    const { token: old } = await service.signAccessToken(CLAIMS)
    expect(await service.verifyAccessToken(old)).not.toHaveProperty('sid')
    await expect(service.signAccessToken({ ...CLAIMS, sid: '' })).rejects.toThrow(/sid/)
  })

  it('issues an HS256 at+jwt token for iss fms, aud fms-api, valid for 900 s by default', async () => {
    const before = Math.floor(Date.now() / 1000)
    const { token, expiresAt } = await service.signAccessToken(CLAIMS)
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'at+jwt' })
    const payload = decodeJwt(token)
    expect(payload).toMatchObject({ iss: 'fms', aud: 'fms-api', ...CLAIMS })
    expect(payload.exp).toBe(expiresAt.getTime() / 1000)
    expect(payload.exp! - payload.iat!).toBe(900)
    expect(payload.iat).toBeGreaterThanOrEqual(before)
    expect(payload.jti).toEqual(expect.any(String))
  })

  it('uses the configured issuer, audience and TTL', async () => {
    const custom = createJwtService({
      secret: SECRET,
      issuer: 'custom-iss',
      audience: 'custom-aud',
      accessTtlSec: 60,
    })
    const { token } = await custom.signAccessToken(CLAIMS)
    const payload = decodeJwt(token)
    expect(payload).toMatchObject({ iss: 'custom-iss', aud: 'custom-aud' })
    expect(payload.exp! - payload.iat!).toBe(60)
    await expect(custom.verifyAccessToken(token)).resolves.toMatchObject(CLAIMS)
  })

  it('refuses to sign a role outside ROLES', async () => {
    const claims = { ...CLAIMS, role: 'owner' } as unknown as AccessClaims
    await expect(service.signAccessToken(claims)).rejects.toThrow(TypeError)
  })
})

describe('verifyAccessToken', () => {
  const service = createJwtService({ secret: SECRET })

  it('refuses a token signed for another issuer with the same secret', async () => {
    const other = createJwtService({ secret: SECRET, issuer: 'someone-else' })
    const { token } = await other.signAccessToken(CLAIMS)
    await expect(service.verifyAccessToken(token)).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
    })
  })

  it('refuses a token signed with a different secret', async () => {
    const other = createJwtService({ secret: `${SECRET}-other` })
    const { token } = await other.signAccessToken(CLAIMS)
    await expect(service.verifyAccessToken(token)).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
    })
  })

  it('throws only a generic AuthError, never the underlying jose error', async () => {
    const error = await service.verifyAccessToken('not.a.jwt').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ name: 'AuthError', code: 'INVALID_TOKEN' })
    expect((error as AuthError).message).toBe('Invalid token')
    expect((error as AuthError).cause).toBeUndefined()
  })

  it.each([
    ['an empty string', ''],
    ['a non-string', 42 as unknown as string],
    ['an oversized string', 'a'.repeat(10_000)],
  ])('refuses %s as INVALID_TOKEN', async (_name, token) => {
    await expect(service.verifyAccessToken(token)).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
    })
  })
})
