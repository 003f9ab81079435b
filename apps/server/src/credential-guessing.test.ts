import { randomInt, randomUUID } from 'node:crypto'
import { createTestDb } from '@fms/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { type SpawnedServer, spawnServer } from './testing/spawn-server.ts'

// Password guessing costs the same however it is packaged: one by one, in one batched request,
// in one WebSocket message, in parallel, or spread over nodes.
const PASSWORD = 'correct horse battery'
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

interface CallResult {
  ok: boolean
  code: string | undefined
}

/** A client address of its own per use, so limits of one test don't leak into another. */
function randomAddress(): string {
  return `198.51.${randomInt(256)}.${randomInt(1, 255)}`
}

async function register(url: string, headers: Record<string, string> = {}) {
  const email = `guess-${randomUUID()}@example.com`
  const response = await fetch(`${url}/trpc/auth.register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ json: { email, password: PASSWORD, orgName: 'Guessing' } }),
  })
  return { email, response }
}

/** One HTTP request carrying `passwords.length` logins as a tRPC batch. */
async function batchedLogins(url: string, email: string, passwords: string[], address: string) {
  const path = passwords.map(() => 'auth.login').join(',')
  const body = Object.fromEntries(
    passwords.map((password, i) => [i, { json: { email, password } }]),
  )
  const response = await fetch(`${url}/trpc/${path}?batch=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify(body),
  })
  const results = (await response.json()) as { result?: unknown; error?: { json: unknown } }[]
  return results.map(toCallResult)
}

function toCallResult(entry: { result?: unknown; error?: { json: unknown } }): CallResult {
  const error = entry.error?.json as { data?: { code?: string } } | undefined
  return { ok: entry.result !== undefined && !entry.error, code: error?.data?.code }
}

async function login(url: string, email: string, password: string, address: string) {
  const response = await fetch(`${url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ json: { email, password } }),
  })
  const entry = (await response.json()) as { result?: unknown; error?: { json: unknown } }
  return {
    ...toCallResult(entry),
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
  }
}

/** Counts calls whose password was actually checked (a wrong one, or the right one). */
function checked(results: CallResult[]): number {
  return results.filter((r) => r.ok || r.code === 'UNAUTHORIZED').length
}

function wrongPasswords(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `wrong guess ${i}`)
}

describe('one node', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startTestServer({ TRUST_PROXY: '1', AUTH_LOGIN_WINDOW_SEC: '3' })
  })

  afterAll(async () => {
    await server?.close()
  })

  it('checks one password of a batch of 40 logins and never signs in with the 40th', async () => {
    const { email } = await register(server.url)
    const results = await batchedLogins(
      server.url,
      email,
      [...wrongPasswords(39), PASSWORD],
      randomAddress(),
    )
    expect(results).toHaveLength(40)
    expect(checked(results)).toBe(1)
    expect(results.some((r) => r.ok)).toBe(false)
    expect(results.filter((r) => r.code === 'TOO_MANY_REQUESTS')).toHaveLength(39)
  })

  it('checks one password of 40 logins batched in one WebSocket message', async () => {
    const { email } = await register(server.url)
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/trpc`)
    const answers: CallResult[] = []
    const passwords = [...wrongPasswords(39), PASSWORD]
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.once('open', () => {
        const calls = passwords.map((password, id) => ({
          id,
          method: 'mutation',
          params: { path: 'auth.login', input: { json: { email, password } } },
        }))
        socket.send(JSON.stringify(calls))
      })
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as {
          result?: unknown
          error?: { json: unknown }
        }
        if (message.result === undefined && message.error === undefined) return
        answers.push(toCallResult(message))
        if (answers.length === passwords.length) resolve()
      })
    })
    socket.close()
    expect(checked(answers)).toBe(1)
    expect(answers.some((r) => r.ok)).toBe(false)
  })

  it('checks at most the per-address limit of 40 logins sent in parallel', async () => {
    const { email } = await register(server.url)
    const address = randomAddress()
    const results = await Promise.all(
      [...wrongPasswords(39), PASSWORD].map((password) =>
        login(server.url, email, password, address),
      ),
    )
    expect(checked(results)).toBeLessThanOrEqual(10)
    const refused = results.filter((r) => r.status === 429)
    expect(refused.length).toBeGreaterThanOrEqual(30)
    for (const answer of refused) expect(Number(answer.retryAfter)).toBeGreaterThan(0)
  })

  it("does not lock the owner's address out with someone else's failures, and every lock ends", async () => {
    const { email } = await register(server.url)
    const attacker = randomAddress()
    for (const password of wrongPasswords(10)) {
      expect((await login(server.url, email, password, attacker)).code).toBe('UNAUTHORIZED')
    }
    expect((await login(server.url, email, PASSWORD, attacker)).status).toBe(429)
    // The owner, from another address, still signs in.
    expect((await login(server.url, email, PASSWORD, randomAddress())).ok).toBe(true)
    // And the attacker's lock ends with its window (AUTH_LOGIN_WINDOW_SEC=3).
    await new Promise((resolve) => setTimeout(resolve, 3200))
    expect((await login(server.url, email, PASSWORD, attacker)).ok).toBe(true)
  })
})

describe('an account under attack from many addresses', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startTestServer({ TRUST_PROXY: '1' })
  })

  afterAll(async () => {
    await server?.close()
  })

  it("locks new addresses out, never the owner's usual one", async () => {
    const { email } = await register(server.url)
    const home = randomAddress()
    expect((await login(server.url, email, PASSWORD, home)).ok).toBe(true)
    // Ten addresses, ten wrong guesses each: twice the account-wide budget.
    for (let a = 0; a < 10; a++) {
      const address = randomAddress()
      await Promise.all(wrongPasswords(10).map((p) => login(server.url, email, p, address)))
    }
    expect((await login(server.url, email, PASSWORD, randomAddress())).status).toBe(429)
    expect((await login(server.url, email, PASSWORD, home)).ok).toBe(true)
  })

  it('counts an IPv6 /64 as one address', async () => {
    const { email } = await register(server.url)
    const results = await Promise.all(
      wrongPasswords(20).map((password, i) =>
        login(server.url, email, password, `2001:db8:77:1::${(i + 1).toString(16)}`),
      ),
    )
    expect(checked(results)).toBe(10)
  })
})

describe('sign-ups', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startTestServer({ TRUST_PROXY: '1', AUTH_REGISTER_LIMIT: '3' })
  })

  afterAll(async () => {
    await server?.close()
  })

  it('limits new organizations per client address, in batches too', async () => {
    const address = randomAddress()
    for (let i = 0; i < 3; i++) {
      const { response } = await register(server.url, { 'x-forwarded-for': address })
      expect(response.status).toBe(200)
    }
    const { response } = await register(server.url, { 'x-forwarded-for': address })
    expect(response.status).toBe(429)
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
    // Another address is not affected.
    const other = await register(server.url, { 'x-forwarded-for': randomAddress() })
    expect(other.response.status).toBe(200)
    // A batch of sign-ups runs one of them.
    const fresh = randomAddress()
    const body = Object.fromEntries(
      [0, 1, 2].map((i) => [
        i,
        { json: { email: `batch-${randomUUID()}@example.com`, password: PASSWORD, orgName: 'B' } },
      ]),
    )
    const batch = await fetch(
      `${server.url}/trpc/auth.register,auth.register,auth.register?batch=1`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': fresh },
        body: JSON.stringify(body),
      },
    )
    const results = ((await batch.json()) as { result?: unknown; error?: { json: unknown } }[]).map(
      toCallResult,
    )
    expect(results.filter((r) => r.ok)).toHaveLength(1)
  })

  it('refuses a batch over the batch limit before running any call', async () => {
    const path = Array.from({ length: 51 }, () => 'auth.me').join(',')
    const response = await fetch(`${server.url}/trpc/${path}?batch=1`)
    expect(response.status).toBe(400)
  })
})

describe('several nodes (limits in Redis)', () => {
  let scratch: Awaited<ReturnType<typeof createTestDb>>
  const nodes: SpawnedServer[] = []

  beforeAll(async () => {
    scratch = await createTestDb('postgres')
    for (let i = 0; i < 2; i++) {
      nodes.push(
        await spawnServer({ DATABASE_URL: scratch.url ?? '', REDIS_URL, TRUST_PROXY: '1' }),
      )
    }
  }, 60_000)

  afterAll(async () => {
    for (const node of nodes) node.child.kill('SIGKILL')
    await Promise.all(nodes.map((node) => node.exited))
    await scratch?.close()
  })

  it('counts guesses spread over nodes as one', async () => {
    const [a, b] = nodes
    if (!a || !b) throw new Error('nodes did not start')
    const { email } = await register(a.url)
    const address = randomAddress()
    const results = await Promise.all(
      wrongPasswords(40).map((password, i) =>
        login(i % 2 ? a.url : b.url, email, password, address),
      ),
    )
    expect(checked(results)).toBe(10)
    expect(results.filter((r) => r.status === 429)).toHaveLength(30)
    // The right password is refused too now, on either node.
    expect((await login(a.url, email, PASSWORD, address)).status).toBe(429)
    expect((await login(b.url, email, PASSWORD, address)).status).toBe(429)
    // The account itself still works from another address.
    const other = await fetch(`${b.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': randomAddress() },
      body: JSON.stringify({ json: { email, password: PASSWORD } }),
    })
    expect(other.status).toBe(200)
  })
})
