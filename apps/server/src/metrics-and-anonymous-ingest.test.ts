import { randomInt } from 'node:crypto'
import {
  type Fleet,
  makePoints,
  postTelemetry,
  provisionFleet,
  TEST_METRICS_TOKEN,
  type WirePoint,
} from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'

// /metrics tells whoever reads it how big the fleet is and how it is run: on the public port it
// answers only its bearer token, or on an internal listener. POST /api/telemetry without an
// Authorization header is read before anyone is known, so it is bounded per address and in size.
const ANON_MAX_BODY_BYTES = 2048
const ANON_RATE_LIMIT = 2
let server: RunningServer
/** A server without METRICS_TOKEN. */
let tokenless: RunningServer
let fleet: Fleet
/** What the public port answers for a path it does not serve. */
let unknownPath: { status: number; text: string }

beforeAll(async () => {
  // Both at once: the embedded database takes seconds to start.
  const [main, withoutToken] = await Promise.all([
    startTestServer({
      METRICS_PORT: '0',
      INGEST_ANON_MAX_BODY_BYTES: String(ANON_MAX_BODY_BYTES),
      INGEST_ANON_RATE_LIMIT: String(ANON_RATE_LIMIT),
      INGEST_RATE_LIMIT: '0',
      // One trusted hop: each test posts from an address of its own via X-Forwarded-For.
      TRUST_PROXY: 'true',
    }),
    startTestServer({ METRICS_TOKEN: '' }),
  ])
  server = main
  tokenless = withoutToken
  fleet = await provisionFleet(server.url)
  const res = await fetch(`${server.url}/no-such-path`)
  unknownPath = { status: res.status, text: await res.text() }
})
afterAll(() => Promise.all([server?.close(), tokenless?.close()]))

function metrics(url: string, authorization?: string) {
  return fetch(`${url}/metrics`, { headers: authorization ? { authorization } : {} })
}

async function expectLikeUnknownPath(res: Response): Promise<void> {
  expect(res.status).toBe(404)
  expect(await res.text()).toBe(unknownPath.text)
}

describe('/metrics on the public port', () => {
  it('answers 404 without a token, like an unknown path', async () => {
    expect(unknownPath.status).toBe(404)
    await expectLikeUnknownPath(await metrics(server.url))
  })

  it('answers 404 to a wrong token', async () => {
    for (const authorization of [
      'Bearer wrong-token-of-some-length',
      `Bearer ${TEST_METRICS_TOKEN}x`,
      `Bearer ${TEST_METRICS_TOKEN.slice(0, -1)}`,
      TEST_METRICS_TOKEN,
      `Basic ${Buffer.from(`metrics:${TEST_METRICS_TOKEN}`).toString('base64')}`,
    ]) {
      await expectLikeUnknownPath(await metrics(server.url, authorization))
    }
  })

  it('answers 200 with the samples to Authorization: Bearer <METRICS_TOKEN>', async () => {
    const res = await metrics(server.url, `Bearer ${TEST_METRICS_TOKEN}`)
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(/^fms_ingest_/m)
  })

  it('answers 404 to any token when METRICS_TOKEN is not set', async () => {
    for (const authorization of [undefined, 'Bearer ', 'Bearer undefined', 'Bearer null']) {
      expect((await metrics(tokenless.url, authorization)).status).toBe(404)
    }
  })
})

describe('the internal metrics listener (METRICS_PORT)', () => {
  it('answers /metrics without a token', async () => {
    expect(server.metricsPort).toEqual(expect.any(Number))
    const res = await metrics(`http://127.0.0.1:${server.metricsPort}`)
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(/^fms_ingest_/m)
  })

  it('answers 404 to every other path', async () => {
    expect(server.metricsPort).toEqual(expect.any(Number))
    for (const path of ['/', '/livez', '/api/telemetry', '/trpc/auth.me', '/metrics/x']) {
      const res = await fetch(`http://127.0.0.1:${server.metricsPort}${path}`)
      expect(res.status).toBe(404)
    }
  })
})

/** An address of its own per test, so one test's bucket does not drain another's. */
function randomAddress(): string {
  return `203.0.${randomInt(256)}.${randomInt(1, 255)}`
}

/** The original app's form: the token in every point, no Authorization header. */
function inBody(points: WirePoint[]): WirePoint[] {
  return points.map((point) => ({ ...point, token: fleet.token.secret }))
}

/** `count` points naming the fleet's device, in the original app's form, as JSON over `bytes`. */
function bodyOver(bytes: number): WirePoint[] {
  let count = 1
  while (JSON.stringify(inBody(makePoints(fleet.deviceIds[0], count))).length <= bytes) count *= 2
  return inBody(makePoints(fleet.deviceIds[0], count))
}

function postFrom(address: string, body: unknown, token?: string) {
  return postTelemetry(server.url, { token, body, headers: { 'x-forwarded-for': address } })
}

/** Ten anonymous posts in a row from `address` (with a wrong token by default). */
async function postTenAnonymously(address: string, token = 'fmd_AAAAAAAA_wrong') {
  const statuses: number[] = []
  let retryAfter: string | null = null
  const started = performance.now()
  for (let i = 0; i < 10; i++) {
    const points = makePoints(fleet.deviceIds[0], 1).map((point) => ({ ...point, token }))
    const answer = await postFrom(address, points)
    statuses.push(answer.status)
    if (answer.status === 429) retryAfter ??= answer.headers.get('retry-after')
  }
  return { statuses, retryAfter, elapsedSec: (performance.now() - started) / 1000 }
}

describe('ingestion without an Authorization header', () => {
  it('accepts a small body with the token inside', async () => {
    const answer = await postFrom(randomAddress(), inBody(makePoints(fleet.deviceIds[0], 2)))
    expect(answer).toMatchObject({ status: 200, body: { accepted: 2 } })
  })

  it('answers 413 to a body over INGEST_ANON_MAX_BODY_BYTES that a header token may send', async () => {
    const body = bodyOver(ANON_MAX_BODY_BYTES)
    const anonymous = await postFrom(randomAddress(), body)
    expect(anonymous.status).toBe(413)
    const withHeader = await postFrom(randomAddress(), body, fleet.token.secret)
    expect(withHeader).toMatchObject({ status: 200, body: { accepted: body.length } })
  })

  it('answers 429 with Retry-After past INGEST_ANON_RATE_LIMIT failed requests per second from one address', async () => {
    const { statuses, retryAfter, elapsedSec } = await postTenAnonymously(randomAddress())
    // The bucket holds a burst of twice the rate and refills at the rate.
    const refused = statuses.filter((status) => status === 401).length
    expect(refused).toBeLessThanOrEqual(Math.floor(ANON_RATE_LIMIT * (2 + elapsedSec)))
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([])
    expect(statuses.at(-1)).toBe(429)
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)
  })

  it('counts failed requests sent all at once against the budget, not only one by one', async () => {
    const address = randomAddress()
    const points = makePoints(fleet.deviceIds[0], 1).map((p) => ({ ...p, token: 'fmd_AAAAAAAA_x' }))
    const answers = await Promise.all(Array.from({ length: 20 }, () => postFrom(address, points)))
    const statuses = answers.map((answer) => answer.status)
    // The burst is twice the rate; the rest is refused before its body is read.
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(
      2 * ANON_RATE_LIMIT + 1,
    )
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([])
  })

  it('never limits good requests with the token in the body, from one address', async () => {
    const { statuses } = await postTenAnonymously(randomAddress(), fleet.token.secret)
    expect(statuses).toEqual(statuses.map(() => 200))
  })

  it('still serves other addresses and requests with an Authorization header', async () => {
    const address = randomAddress()
    expect((await postTenAnonymously(address)).statuses.at(-1)).toBe(429)
    // Refused before its body is read, even with a good token inside.
    expect((await postFrom(address, inBody(makePoints(fleet.deviceIds[0], 1)))).status).toBe(429)
    const other = await postFrom(randomAddress(), inBody(makePoints(fleet.deviceIds[0], 1)))
    expect(other.status).toBe(200)
    for (let i = 0; i < 10; i++) {
      const answer = await postFrom(address, makePoints(fleet.deviceIds[0], 1), fleet.token.secret)
      expect(answer.status).toBe(200)
    }
  })
})
