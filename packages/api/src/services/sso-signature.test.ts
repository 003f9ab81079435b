import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInnerContext } from '../context.ts'
import { createCaller } from '../root.ts'
import { createTestApi, type TestApi } from '../testing.ts'
import { startTestIdp, type TestIdp } from '../testing-oidc.ts'
import { finishSso, SsoFailure, startSso } from './sso-flow.ts'

const REDIRECT_URI = 'https://fms.test/api/sso/callback'

let api: TestApi
let idp: TestIdp
let proxy: Server
let proxyOrigin: string

/**
 * A man in the middle of the provider: passes everything through under its own address (the
 * provider's address rewritten to its own), and in the token endpoint's answer rewrites the ID
 * token's `iss` to its own address while keeping the provider's signature, which then no longer
 * matches. Issuer, audience, nonce and expiry all check out: only the signature can refuse it.
 */
async function startTamperingProxy(target: string): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      void (async () => {
        const headers = new Headers()
        for (const [name, value] of Object.entries(req.headers)) {
          if (name === 'host' || name === 'content-length' || value === undefined) continue
          headers.set(name, Array.isArray(value) ? value.join(', ') : value)
        }
        const answer = await fetch(`${target}${req.url}`, {
          method: req.method ?? 'GET',
          headers,
          redirect: 'manual',
          ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
        })
        let text = (await answer.text()).replaceAll(target, proxyOrigin)
        if (req.method === 'POST' && req.url === '/token' && answer.ok) {
          const tokens = JSON.parse(text) as { id_token: string }
          const [header, payload, signature] = tokens.id_token.split('.')
          const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())
          claims.iss = proxyOrigin
          const forged = Buffer.from(JSON.stringify(claims)).toString('base64url')
          tokens.id_token = `${header}.${forged}.${signature}`
          text = JSON.stringify(tokens)
        }
        const out: Record<string, string | string[]> = {}
        answer.headers.forEach((value, name) => {
          if (
            !['content-length', 'content-encoding', 'transfer-encoding', 'set-cookie'].includes(
              name,
            )
          ) {
            out[name] = value
              .replaceAll(target, proxyOrigin)
              .replaceAll(encodeURIComponent(target), encodeURIComponent(proxyOrigin))
          }
        })
        out['set-cookie'] = answer.headers.getSetCookie()
        res.writeHead(answer.status, out)
        res.end(text)
      })().catch((error: unknown) => {
        res.statusCode = 502
        res.end(String(error))
      })
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return server
}

/** Follows redirects by hand with the provider's cookies until the callback address. */
async function followToCallback(url: string): Promise<URL> {
  const cookies = new Map<string, string>()
  let current = url
  for (let hops = 0; hops < 20; hops++) {
    if (current.startsWith(REDIRECT_URI)) return new URL(current)
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const response = await fetch(current, {
      redirect: 'manual',
      headers: cookie ? { cookie } : {},
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const index = pair.indexOf('=')
      cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim())
    }
    await response.arrayBuffer()
    const location = response.headers.get('location')
    if (!location) throw new Error(`${current} answered ${response.status} without a redirect`)
    current = new URL(location, current).href
  }
  throw new Error('too many redirects')
}

beforeAll(async () => {
  api = await createTestApi()
  idp = await startTestIdp({ redirectUris: [REDIRECT_URI] })
  proxy = await startTamperingProxy(idp.issuer)
  proxyOrigin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise<void>((done) => (proxy ? proxy.close(() => done()) : done()))
  await idp?.close()
  await api?.close()
})

describe('sso ID token signature', () => {
  it('refuses an ID token from the token endpoint whose signature does not match', async () => {
    const { session } = await api.registerOrg()
    const domain = `signed-${Date.now()}.example`
    const caller = createCaller(
      createInnerContext(
        { ...api.deps, ssoTrustedDomains: [domain] },
        { accessToken: session.accessToken },
      ),
    )
    await caller.sso.update({
      issuer: proxyOrigin,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      domains: [domain],
      defaultRole: 'user',
    })
    idp.signInAs({ sub: 'forged-1', email: `someone@${domain}`, emailVerified: true })
    const start = await startSso(api.deps, {
      orgId: session.user.orgId,
      // The tab's key (sso-flow.ts: a sign-in signs in only the browser that started it).
      browser: randomBytes(32).toString('base64url'),
      redirectUri: REDIRECT_URI,
    })
    expect(start.startsWith(`${proxyOrigin}/`)).toBe(true)
    const callback = await followToCallback(start)
    expect(callback.searchParams.get('code')).toBeTruthy()
    const failure = await finishSso(api.deps, callback.searchParams).then(
      () => null,
      (error: unknown) => error,
    )
    expect(failure).toBeInstanceOf(SsoFailure)
    expect((failure as SsoFailure).code).toBe('failed')
    // Why, down the cause chain: the signature, not the issuer, audience or nonce.
    const reasons: string[] = []
    for (let e: unknown = failure; e instanceof Error; e = e.cause) reasons.push(e.message)
    expect(reasons.join(' / ')).toMatch(/JWT signature verification failed/)
  })
})
