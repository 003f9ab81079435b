/**
 * Forged access tokens, built by hand so that each differs from a valid token in
 * exactly one way. The first test proves the forger itself produces tokens the service accepts.
 */
import { createHmac, createSign, generateKeyPairSync } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AuthError } from './errors.ts'
import { createJwtService } from './jwt.ts'
import { generateRefreshToken } from './opaque-tokens.ts'

const SECRET = 'test-secret-that-is-at-least-32-characters-long'
const service = createJwtService({ secret: SECRET })

type Json = Record<string, unknown>

const encode = (part: Json) => Buffer.from(JSON.stringify(part)).toString('base64url')
const hmac = (input: string, key = SECRET) =>
  createHmac('sha256', key).update(input).digest('base64url')

function forge(options: { header?: Json; payload?: Json; sign?: (input: string) => string }) {
  const now = Math.floor(Date.now() / 1000)
  const header = options.header ?? { alg: 'HS256', typ: 'at+jwt' }
  const payload = options.payload ?? validPayload(now)
  const input = `${encode(header)}.${encode(payload)}`
  return `${input}.${(options.sign ?? hmac)(input)}`
}

function validPayload(now = Math.floor(Date.now() / 1000)): Json {
  return {
    sub: 'user-1',
    org: 'org-1',
    role: 'user',
    iss: 'fms',
    aud: 'fms-api',
    iat: now,
    exp: now + 300,
  }
}

const withPayload = (changes: Json) => forge({ payload: { ...validPayload(), ...changes } })
const withHeader = (changes: Json) => forge({ header: { alg: 'HS256', typ: 'at+jwt', ...changes } })

async function expectRejected(token: string) {
  const error = await service.verifyAccessToken(token).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(AuthError)
  expect(error).toMatchObject({ code: 'INVALID_TOKEN' })
}

afterEach(() => {
  vi.restoreAllMocks()
})

it('accepts an untampered hand-built token (the baseline every attack below deviates from)', async () => {
  await expect(service.verifyAccessToken(forge({}))).resolves.toMatchObject({ role: 'user' })
})

describe('S7: algorithm and signature attacks', () => {
  it('rejects alg none with an empty signature', async () => {
    await expectRejected(forge({ header: { alg: 'none', typ: 'at+jwt' }, sign: () => '' }))
  })

  it('rejects an RS256 header on a token HMAC-signed with the secret (alg confusion)', async () => {
    await expectRejected(withHeader({ alg: 'RS256' }))
  })

  it('rejects a genuine RS256 token carrying its own public key in a jwk header', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const jwk = publicKey.export({ format: 'jwk' })
    const header = { alg: 'RS256', typ: 'at+jwt', jwk }
    const sign = (input: string) =>
      createSign('RSA-SHA256').update(input).sign(privateKey, 'base64url')
    await expectRejected(forge({ header, sign }))
  })

  it('rejects a payload escalated to admin under the original signature', async () => {
    const [header, , signature] = forge({}).split('.')
    const tampered = encode({ ...validPayload(), role: 'admin' })
    await expectRejected(`${header}.${tampered}.${signature}`)
  })

  it('rejects a token signed with another key', async () => {
    await expectRejected(forge({ sign: (input) => hmac(input, 'x'.repeat(32)) }))
  })
})

describe('S8: claim and type checks', () => {
  const now = () => Math.floor(Date.now() / 1000)

  it('rejects a token expired beyond the clock tolerance', async () => {
    await expectRejected(withPayload({ iat: now() - 960, exp: now() - 60 }))
  })

  it('accepts a token expired by less than the 5 s clock tolerance', async () => {
    const token = withPayload({ iat: now() - 900, exp: now() - 2 })
    await expect(service.verifyAccessToken(token)).resolves.toMatchObject({ sub: 'user-1' })
  })

  it('rejects a token whose nbf is in the future', async () => {
    await expectRejected(withPayload({ nbf: now() + 60 }))
  })

  it('rejects a token without exp', async () => {
    await expectRejected(withPayload({ exp: undefined }))
  })

  it('rejects a wrong issuer', async () => {
    await expectRejected(withPayload({ iss: 'evil' }))
  })

  it('rejects a wrong audience', async () => {
    await expectRejected(withPayload({ aud: 'other-api' }))
  })

  it('rejects a token without typ', async () => {
    await expectRejected(forge({ header: { alg: 'HS256' } }))
  })

  it('rejects a token typed as a plain JWT rather than at+jwt', async () => {
    await expectRejected(withHeader({ typ: 'JWT' }))
  })

  it('rejects a refresh token presented as an access token', async () => {
    await expectRejected(generateRefreshToken().token)
  })

  it('rejects a role outside ROLES', async () => {
    await expectRejected(withPayload({ role: 'superadmin' }))
  })

  it('rejects a token without org', async () => {
    await expectRejected(withPayload({ org: undefined }))
  })
})

describe('S9: key-locating headers', () => {
  it('rejects a jku header without fetching it', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    await expectRejected(withHeader({ jku: 'https://attacker.example/jwks.json' }))
    expect(fetchSpy).not.toHaveBeenCalled()
  })

  it('rejects an x5u header without fetching it', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    await expectRejected(withHeader({ x5u: 'https://attacker.example/cert.pem' }))
    expect(fetchSpy).not.toHaveBeenCalled()
  })

  it('rejects an unknown kid', async () => {
    await expectRejected(withHeader({ kid: 'attacker-key' }))
  })
})
