import { mkdtempSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppRouter } from '@fms/api'
import { transformer } from '@fms/api/transformer'
import { createTRPCClient, createWSClient, httpLink, TRPCClientError, wsLink } from '@trpc/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'

const ALLOWED_ORIGIN = 'http://allowed.example'
let server: RunningServer
let webDist: string

beforeAll(async () => {
  webDist = mkdtempSync(join(tmpdir(), 'fms-web-'))
  await mkdir(join(webDist, 'assets'))
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>FMS</title>')
  writeFileSync(join(webDist, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(webDist, 'manifest.webmanifest'), '{"name":"FMS"}')
  writeFileSync(join(webDist, 'sw.js'), 'self.addEventListener("fetch", () => {})')
  server = await startTestServer({
    CORS_ORIGINS: ALLOWED_ORIGIN,
    MAX_BODY_BYTES: '4096',
    FMS_WEB_DIST: webDist,
  })
})
afterAll(() => server?.close())

function httpClient(token?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${server.url}/trpc`,
        transformer,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    ],
  })
}

async function register() {
  const email = `owner-${crypto.randomUUID()}@example.com`
  const answer = await httpClient().auth.register.mutate({
    email,
    password: 'correct horse',
    orgName: 'Acme',
  })
  if (answer.status !== 'signed_in') throw new Error('expected a session (email off)')
  return answer
}

describe('health endpoints', () => {
  it('answers /livez with 200', async () => {
    const res = await fetch(`${server.url}/livez`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('answers /readyz with 200 while the database answers', async () => {
    const res = await fetch(`${server.url}/readyz`)
    expect(res.status).toBe(200)
  })

  it('reports the database kind on /api/health', async () => {
    const body = await (await fetch(`${server.url}/api/health`)).json()
    expect(body).toMatchObject({ status: 'ok', database: { kind: 'pglite', ok: true } })
  })

  it('answers 404 as JSON to an unknown API path', async () => {
    const res = await fetch(`${server.url}/api/nope`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: 'Not found' })
  })
})

describe('HTTP hardening', () => {
  it('sets security headers and no X-Powered-By', async () => {
    const res = await fetch(`${server.url}/livez`)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('x-powered-by')).toBeNull()
  })

  it('answers a CORS preflight from an allowlisted origin', async () => {
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN)
  })

  it('gives no CORS grant to a foreign origin', async () => {
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('answers 413 to a tRPC body over the limit', async () => {
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: 'a@b.co', password: 'x'.repeat(10_000) } }),
    })
    expect(res.status).toBe(413)
  })

  it('answers bad input with 400 and field errors, without a stack trace', async () => {
    const res = await fetch(`${server.url}/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: 'nope', password: 'x', orgName: '' } }),
    })
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(JSON.parse(text).error.json.data.fieldErrors).toHaveProperty('email')
    expect(text).not.toMatch(/stack|\.ts:\d+/)
  })
})

describe('tRPC over HTTP', () => {
  it('registers and reads the caller back with the access token', async () => {
    const session = await register()
    expect(session.accessTokenExpiresAt).toBeInstanceOf(Date)
    const me = await httpClient(session.accessToken).auth.me.query()
    expect(me).toEqual(session.user)
  })

  it('answers 401 to a call without a token', async () => {
    const error = await httpClient()
      .auth.me.query()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TRPCClientError)
    expect((error as TRPCClientError<AppRouter>).data?.httpStatus).toBe(401)
  })
})

describe('tRPC over WebSocket', () => {
  function wsClient(token: string | undefined) {
    const client = createWSClient({
      url: `${server.url.replace('http', 'ws')}/trpc`,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      connectionParams: token ? { token } : null,
    })
    return {
      trpc: createTRPCClient<AppRouter>({ links: [wsLink({ client, transformer })] }),
      close: () => client.close(),
    }
  }

  it('authenticates with connectionParams', async () => {
    const session = await register()
    const { trpc, close } = wsClient(session.accessToken)
    try {
      expect(await trpc.auth.me.query()).toEqual(session.user)
    } finally {
      await close()
    }
  })

  it('answers UNAUTHORIZED without a token', async () => {
    const { trpc, close } = wsClient(undefined)
    try {
      const error = await trpc.auth.me.query().catch((e: unknown) => e)
      expect((error as TRPCClientError<AppRouter>).data?.code).toBe('UNAUTHORIZED')
    } finally {
      await close()
    }
  })

  it('refuses the upgrade from a foreign Origin', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/trpc`, {
        headers: { origin: 'http://evil.example' },
      })
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      socket.on('open', () => reject(new Error('upgrade was accepted')))
      socket.on('error', () => {})
    })
    expect(status).toBe(403)
  })

  it('accepts the upgrade from an allowlisted Origin', async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/trpc`, {
      headers: { origin: ALLOWED_ORIGIN },
    })
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => resolve())
      socket.on('error', reject)
    })
    socket.close()
  })
})

describe('the web app', () => {
  it('serves index.html for client routes and files from the build', async () => {
    const page = await fetch(`${server.url}/vehicles/123`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>FMS</title>')
    const asset = await fetch(`${server.url}/assets/app.js`)
    expect(asset.headers.get('content-type')).toContain('text/javascript')
    expect(asset.headers.get('cache-control')).toContain('immutable')
  })

  it('serves the manifest as application/manifest+json and never long-caches the service worker', async () => {
    const manifest = await fetch(`${server.url}/manifest.webmanifest`)
    expect(manifest.headers.get('content-type')).toBe('application/manifest+json')
    expect(await manifest.json()).toEqual({ name: 'FMS' })
    const worker = await fetch(`${server.url}/sw.js`)
    expect(worker.headers.get('content-type')).toContain('text/javascript')
    expect(worker.headers.get('cache-control')).toBe('no-cache')
    expect(await worker.text()).toContain('addEventListener')
    const index = await fetch(`${server.url}/`)
    expect(index.headers.get('cache-control')).toBe('no-cache')
  })

  it('never serves a file outside the build folder', async () => {
    const res = await fetch(`${server.url}/..%2f..%2f..%2fetc%2fpasswd`)
    expect(await res.text()).not.toContain('root:')
  })
})
