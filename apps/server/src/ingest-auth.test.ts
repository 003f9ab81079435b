import {
  type Fleet,
  type IngestAnswer,
  makePoints,
  postTelemetry,
  provisionFleet,
  wireKey,
} from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { storedPointCounts } from './testing/telemetry.ts'

// Device tokens on POST /api/telemetry and the per-token rate limit.
let server: RunningServer
let fleet: Fleet
let otherOrg: Fleet
/** The answer to a request with no token at all: every bad token must get exactly this. */
let refusal: IngestAnswer

beforeAll(async () => {
  // No token cache: a revocation takes effect at once.
  server = await startTestServer({ DEVICE_TOKEN_CACHE_SEC: '0', INGEST_RATE_LIMIT: '0' })
  fleet = await provisionFleet(server.url)
  otherOrg = await provisionFleet(server.url)
  refusal = await postTelemetry(server.url, { body: makePoints(fleet.deviceIds[0], 1) })
})
afterAll(() => server?.close())

function expectRefused(answer: IngestAnswer): void {
  expect(answer.status).toBe(401)
  expect(answer.text).toBe(refusal.text)
  expect(answer.headers.get('content-type')).toBe(refusal.headers.get('content-type'))
}

/** The token with one character of its secret part changed, still well-formed. */
function withWrongByte(token: string): string {
  const at = token.length - 10
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`
}

describe('device tokens', () => {
  it('answers 401 to a request without a token', () => {
    expect(refusal.status).toBe(401)
    expect(refusal.body).toEqual({ error: expect.any(String) })
  })

  it('answers the same 401 to a malformed token', async () => {
    const body = makePoints(fleet.deviceIds[0], 1)
    expectRefused(await postTelemetry(server.url, { token: 'fmd_nope', body }))
    expectRefused(await postTelemetry(server.url, { token: `${fleet.token.secret}x`, body }))
    expectRefused(
      await postTelemetry(server.url, { headers: { authorization: 'Basic Zm9vOmJhcg==' }, body }),
    )
  })

  it('answers the same 401 to a valid token with one wrong byte', async () => {
    const token = withWrongByte(fleet.token.secret)
    expect(token).toHaveLength(fleet.token.secret.length)
    const body = makePoints(fleet.deviceIds[0], 1)
    expectRefused(await postTelemetry(server.url, { token, body }))
  })

  it('answers the same 401 to a wrong byte in the original in-body token', async () => {
    const [point] = makePoints(fleet.deviceIds[0], 1)
    const body = { ...point, token: withWrongByte(fleet.token.secret) }
    expectRefused(await postTelemetry(server.url, { body }))
  })

  it('answers the same 401 once the token is revoked', async () => {
    const own = await provisionFleet(server.url)
    const post = () =>
      postTelemetry(server.url, { token: own.token.secret, body: makePoints(undefined, 1) })
    expect((await post()).status).toBe(200)
    await own.api.tokens.revoke.mutate({ id: own.token.id })
    expectRefused(await post())
  })

  it("refuses another organization's token for this device and stores nothing", async () => {
    const [point] = makePoints(undefined, 1)
    const viaHeader = await postTelemetry(server.url, {
      token: otherOrg.token.secret,
      body: { ...point, device_id: fleet.deviceIds[0] },
    })
    const inBody = await postTelemetry(server.url, {
      body: { ...point, iot_id: fleet.deviceIds[0], token: otherOrg.token.secret },
    })
    // Not a bad token but a point it may not post: refused per point (422), see ingest.test.ts.
    expect(viaHeader.status).toBeGreaterThanOrEqual(400)
    expect(inBody.status).toBe(viaHeader.status)
    expect(inBody.text).toBe(viaHeader.text)
    const rows = await storedPointCounts(server.db.db, [fleet.deviceIds[0]!])
    expect(rows.get(wireKey({ ...point, device_id: fleet.deviceIds[0] }))).toBeUndefined()
  })

  it('answers the same 401 to a token sent only in the query string', async () => {
    const body = makePoints(fleet.deviceIds[0], 1)
    for (const name of ['token', 'access_token', 'api_key']) {
      const path = `/api/telemetry?${name}=${encodeURIComponent(fleet.token.secret)}`
      expectRefused(await postTelemetry(server.url, { path, body }))
    }
  })
})

describe('rate limit', () => {
  let limited: RunningServer
  let flooder: Fleet
  let neighbour: Fleet

  beforeAll(async () => {
    limited = await startTestServer({ INGEST_RATE_LIMIT: '5' })
    flooder = await provisionFleet(limited.url)
    neighbour = await provisionFleet(limited.url)
  })
  afterAll(() => limited?.close())

  it('answers 429 with Retry-After to a flooding token while another token gets 200', async () => {
    // Rate 5/s with a burst of 10: 30 requests at once must overflow it.
    const flood = await Promise.all(
      Array.from({ length: 30 }, () =>
        postTelemetry(limited.url, { token: flooder.token.secret, body: makePoints(undefined, 1) }),
      ),
    )
    const limitedAnswers = flood.filter((a) => a.status === 429)
    expect(limitedAnswers.length).toBeGreaterThanOrEqual(15)
    expect(flood.every((a) => a.status === 200 || a.status === 429)).toBe(true)
    for (const answer of limitedAnswers) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    const other = await postTelemetry(limited.url, {
      token: neighbour.token.secret,
      body: makePoints(undefined, 1),
    })
    expect(other.status).toBe(200)
  })
})
