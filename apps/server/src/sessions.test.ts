import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'

let server: RunningServer

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server?.close())

interface Session {
  accessToken: string
  refreshToken: string
}

/** A tRPC call over plain HTTP, as a browser makes it. */
async function trpc(
  path: string,
  options: { input?: unknown; token?: string; userAgent?: string; isQuery?: boolean } = {},
) {
  const headers: Record<string, string> = { 'user-agent': options.userAgent ?? 'node' }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  const url = `${server.url}/trpc/${path}`
  const response = options.isQuery
    ? await fetch(url, { headers, signal: AbortSignal.timeout(10_000) })
    : await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ json: options.input ?? null }),
        signal: AbortSignal.timeout(10_000),
      })
  const body = (await response.json()) as { result?: { data: { json: unknown } } }
  return { status: response.status, data: body.result?.data.json }
}

describe('sessions over HTTP', () => {
  it('a revoked session’s refresh token and access token are refused at once', async () => {
    const email = `sessions-http-${Date.now()}@example.com`
    const password = 'correct horse'
    const registered = await trpc('auth.register', {
      input: { email, password, orgName: 'Sessions HTTP' },
    })
    expect(registered.status).toBe(200)
    const laptop = (
      await trpc('auth.login', {
        input: { email, password },
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
      })
    ).data as Session
    const phone = (
      await trpc('auth.login', {
        input: { email, password },
        userAgent: 'Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 Chrome/131.0 Mobile',
      })
    ).data as Session

    const listed = await trpc('auth.sessions', { token: laptop.accessToken, isQuery: true })
    expect(listed.status).toBe(200)
    const sessions = listed.data as Array<{ id: string; device: string; isCurrent: boolean }>
    expect(sessions.find((s) => s.isCurrent)?.device).toBe('Firefox on Linux')
    const phoneId = sessions.find((s) => s.device === 'Chrome on Android')?.id
    expect(phoneId).toBeDefined()

    // Both of the phone's tokens work before.
    expect((await trpc('auth.me', { token: phone.accessToken, isQuery: true })).status).toBe(200)
    const revoked = await trpc('auth.revokeSession', {
      token: laptop.accessToken,
      input: { id: phoneId },
    })
    expect(revoked).toMatchObject({ status: 200, data: { ok: true, isCurrent: false } })

    expect((await trpc('auth.me', { token: phone.accessToken, isQuery: true })).status).toBe(401)
    const refused = await trpc('auth.refresh', { input: { refreshToken: phone.refreshToken } })
    expect(refused.status).toBe(401)
    // The laptop's session goes on.
    expect((await trpc('auth.me', { token: laptop.accessToken, isQuery: true })).status).toBe(200)
    const renewed = await trpc('auth.refresh', { input: { refreshToken: laptop.refreshToken } })
    expect(renewed.status).toBe(200)
  })
})
