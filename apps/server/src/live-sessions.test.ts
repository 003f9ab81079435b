import { randomUUID } from 'node:crypto'
import { WS_CLOSE } from '@fms/api/schemas'
import { createApiClient, type Fleet, provisionFleet, requireSignedIn } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { waitUntil } from './testing/wait.ts'

// Live data follows the same rules on every transport: no subscription over HTTP (SSE), and a
// WebSocket ends within seconds when its user is removed or demoted, signs in or goes, and counts
// against per-address, per-node and per-user limits.
let server: RunningServer
let fleet: Fleet
const sockets: WebSocket[] = []

beforeAll(async () => {
  server = await startTestServer({
    TRUST_PROXY: '1',
    WS_AUTH_TIMEOUT_SEC: '1',
    WS_SESSION_CHECK_SEC: '0.5',
    WS_MAX_CONNECTIONS_PER_IP: '3',
    WS_MAX_CONNECTIONS: '6',
    WS_MAX_SUBSCRIPTIONS_PER_USER: '3',
  })
  fleet = await provisionFleet(server.url, { vehicles: 1 })
})

afterAll(async () => {
  for (const socket of sockets) socket.terminate()
  await server?.close()
})

interface LiveSocket {
  socket: WebSocket
  messages: { id?: number; result?: { type?: string }; error?: { json?: unknown } }[]
  closed: Promise<number>
  subscribe(id: number, path?: string): void
}

/** A raw tRPC WebSocket client: connectionParams first (when a token is given), then calls. */
function openSocket(token: string | null, address = '203.0.113.1'): Promise<LiveSocket> {
  const query = token ? '?connectionParams=1' : ''
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/trpc${query}`, {
    headers: { 'x-forwarded-for': address },
  })
  sockets.push(socket)
  const messages: LiveSocket['messages'] = []
  socket.on('message', (data) => messages.push(JSON.parse(data.toString())))
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    socket.once('error', reject)
    socket.once('open', () => {
      if (token) socket.send(JSON.stringify({ method: 'connectionParams', data: { token } }))
      resolve({
        socket,
        messages,
        closed,
        subscribe(id, path = 'telemetry.live') {
          socket.send(
            JSON.stringify({ id, method: 'subscription', params: { path, input: { json: {} } } }),
          )
        },
      })
    })
  })
}

async function signInUser(role: 'admin' | 'user') {
  const email = `live-${randomUUID()}@example.com`
  const user = await fleet.api.users.create.mutate({
    email,
    password: 'correct horse battery',
    role,
  })
  const session = requireSignedIn(
    await createApiClient(server.url).auth.login.mutate({
      email,
      password: 'correct horse battery',
    }),
  )
  return { id: user.id, accessToken: session.accessToken }
}

function isStarted(live: LiveSocket, id: number): boolean {
  return live.messages.some((m) => m.id === id && m.result?.type === 'started')
}

function errorCode(live: LiveSocket, id: number): string | undefined {
  const message = live.messages.find((m) => m.id === id && m.error)
  return (message?.error?.json as { data?: { code?: string } } | undefined)?.data?.code
}

describe('subscriptions over HTTP', () => {
  it('refuses server-sent events for every subscription, with a valid token, and ends at once', async () => {
    for (const path of ['telemetry.live', 'alerts.live', 'fleet.changes']) {
      const input = encodeURIComponent(JSON.stringify({ json: {} }))
      const response = await fetch(`${server.url}/trpc/${path}?input=${input}`, {
        headers: { authorization: `Bearer ${fleet.accessToken}`, accept: 'text/event-stream' },
        signal: AbortSignal.timeout(3000),
      })
      expect(response.status, path).toBe(405)
      expect(response.headers.get('content-type')).not.toContain('text/event-stream')
      expect(await response.text()).toContain('WebSocket')
    }
  })
})

describe('WebSocket sessions', () => {
  it('closes a socket that presents no token within the sign-in timeout', async () => {
    const live = await openSocket(null, '203.0.113.10')
    const started = Date.now()
    expect(await live.closed).toBe(WS_CLOSE.UNAUTHENTICATED)
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('ends the live stream within seconds of the user being removed', async () => {
    const user = await signInUser('user')
    const live = await openSocket(user.accessToken, '203.0.113.11')
    live.subscribe(1)
    await waitUntil(() => isStarted(live, 1), { timeoutMs: 3000, what: 'the subscription' })
    const removedAt = Date.now()
    await fleet.api.users.remove.mutate({ id: user.id })
    expect(await live.closed).toBe(WS_CLOSE.SESSION_CHANGED)
    expect(Date.now() - removedAt).toBeLessThan(3000)
    // Reconnecting with the same, unexpired access token is refused at once.
    const again = await openSocket(user.accessToken, '203.0.113.11')
    expect(await again.closed).toBe(WS_CLOSE.SESSION_CHANGED)
  })

  it('ends the live stream within seconds of the user being demoted', async () => {
    const user = await signInUser('admin')
    const live = await openSocket(user.accessToken, '203.0.113.12')
    live.subscribe(1, 'alerts.live')
    await waitUntil(() => isStarted(live, 1), { timeoutMs: 3000, what: 'the subscription' })
    await fleet.api.users.update.mutate({ id: user.id, role: 'user' })
    expect(await live.closed).toBe(WS_CLOSE.SESSION_CHANGED)
  })

  it('ends the live stream and the access token when an admin sets a new password', async () => {
    const user = await signInUser('user')
    const live = await openSocket(user.accessToken, '203.0.113.13')
    live.subscribe(1)
    await waitUntil(() => isStarted(live, 1), { timeoutMs: 3000, what: 'the subscription' })
    // Access tokens carry whole seconds: the change happens in a later second than their issue.
    await new Promise((resolve) => setTimeout(resolve, 1005 - (Date.now() % 1000)))
    await fleet.api.users.update.mutate({ id: user.id, password: 'a brand new password' })
    expect(await live.closed).toBe(WS_CLOSE.SESSION_CHANGED)
    const stale = await createApiClient(server.url, user.accessToken)
      .auth.me.query()
      .catch((error: unknown) => error)
    expect((stale as { data?: { code?: string } }).data?.code).toBe('UNAUTHORIZED')
    const again = await openSocket(user.accessToken, '203.0.113.13')
    expect(await again.closed).toBe(WS_CLOSE.SESSION_CHANGED)
  })

  it('ends the live stream within seconds of its session being revoked', async () => {
    const user = await signInUser('user')
    const live = await openSocket(user.accessToken, '203.0.113.15')
    live.subscribe(1)
    await waitUntil(() => isStarted(live, 1), { timeoutMs: 3000, what: 'the subscription' })
    const client = createApiClient(server.url, user.accessToken)
    const current = (await client.auth.sessions.query()).find((entry) => entry.isCurrent)
    expect(current).toBeDefined()
    await client.auth.revokeSession.mutate({ id: current?.id ?? '' })
    expect(await live.closed).toBe(WS_CLOSE.SESSION_CHANGED)
    const again = await openSocket(user.accessToken, '203.0.113.15')
    expect(await again.closed).toBe(WS_CLOSE.SESSION_CHANGED)
  })

  it('holds one user to the subscription limit across sockets', async () => {
    const user = await signInUser('user')
    const first = await openSocket(user.accessToken, '203.0.113.13')
    const second = await openSocket(user.accessToken, '203.0.113.14')
    first.subscribe(1)
    first.subscribe(2, 'alerts.live')
    second.subscribe(1, 'fleet.changes')
    await waitUntil(() => isStarted(first, 1) && isStarted(first, 2) && isStarted(second, 1), {
      timeoutMs: 3000,
      what: 'three subscriptions',
    })
    second.subscribe(2)
    await waitUntil(() => errorCode(second, 2) !== undefined, { timeoutMs: 3000, what: 'refusal' })
    expect(errorCode(second, 2)).toBe('TOO_MANY_REQUESTS')
    // Ending one frees its place.
    first.socket.send(JSON.stringify({ id: 2, method: 'subscription.stop' }))
    await new Promise((resolve) => setTimeout(resolve, 200))
    second.subscribe(3)
    await waitUntil(() => isStarted(second, 3), { timeoutMs: 3000, what: 'the freed place' })
    first.socket.close()
    second.socket.close()
    await Promise.all([first.closed, second.closed])
  })

  it('gives a subscription place back even when the stream never started (duplicate ids)', async () => {
    const user = await signInUser('user')
    const first = await openSocket(user.accessToken, '203.0.113.16')
    for (let i = 0; i < 6; i++) first.subscribe(1)
    await waitUntil(() => isStarted(first, 1), { timeoutMs: 3000, what: 'the subscription' })
    first.socket.close()
    await first.closed
    const second = await openSocket(user.accessToken, '203.0.113.16')
    for (const id of [1, 2, 3]) second.subscribe(id)
    await waitUntil(() => [1, 2, 3].every((id) => isStarted(second, id)), {
      timeoutMs: 3000,
      what: 'all three places free again',
    })
    second.socket.close()
    await second.closed
  })

  it('closes a socket whose message batches more calls than allowed', async () => {
    const live = await openSocket(fleet.accessToken, '203.0.113.15')
    const calls = Array.from({ length: 51 }, (_, id) => ({
      id,
      method: 'query',
      params: { path: 'auth.me', input: { json: undefined } },
    }))
    live.socket.send(JSON.stringify(calls))
    expect(await live.closed).toBe(1008)
    expect(live.messages.filter((m) => m.id !== undefined)).toEqual([])
  })
})

describe('WebSocket connection limits', () => {
  it('refuses a connection over the per-address limit, then over the node limit', async () => {
    const opened: LiveSocket[] = []
    for (let i = 0; i < 3; i++) opened.push(await openSocket(fleet.accessToken, '192.0.2.1'))
    await expect(openSocket(fleet.accessToken, '192.0.2.1')).rejects.toThrow('HTTP 429')
    for (let i = 0; i < 3; i++) opened.push(await openSocket(fleet.accessToken, '192.0.2.2'))
    await expect(openSocket(fleet.accessToken, '192.0.2.3')).rejects.toThrow('HTTP 503')
    // A closed socket gives its place back.
    const [first] = opened
    first?.socket.close()
    await first?.closed
    opened.push(await openSocket(fleet.accessToken, '192.0.2.1'))
    for (const live of opened) live.socket.close()
    await Promise.all(opened.map((live) => live.closed))
  })
})
