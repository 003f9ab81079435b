import type { IngestResult } from '@fms/api/schemas'
import { eq } from '@fms/db'
import { telemetry } from '@fms/db/schema'
import { type Fleet, makePoints, postTelemetry, provisionFleet, wireKey } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { postChunkedUntilAnswered, postHeadersOnly } from './testing/raw-http.ts'
import { startTestServer } from './testing/server.ts'
import { storedPointCounts } from './testing/telemetry.ts'

// Hostile and oversized input on POST /api/telemetry .
const MAX_BODY_BYTES = 65_536
let server: RunningServer
let fleet: Fleet

beforeAll(async () => {
  server = await startTestServer({
    INGEST_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    INGEST_MAX_POINTS: '500',
    INGEST_RATE_LIMIT: '0',
  })
  fleet = await provisionFleet(server.url)
})
afterAll(() => server?.close())

function post(body: unknown, options: { contentType?: string; headers?: Record<string, string> }) {
  return postTelemetry(server.url, { token: fleet.token.secret, body, ...options })
}

/** The server still answers at once (the event loop is not stuck). */
async function expectResponsive(): Promise<void> {
  const started = performance.now()
  const res = await fetch(`${server.url}/livez`, { signal: AbortSignal.timeout(2000) })
  expect(res.status).toBe(200)
  expect(performance.now() - started).toBeLessThan(1000)
}

async function storedCount(): Promise<number> {
  return (await storedPointCounts(server.db.db, fleet.deviceIds)).size
}

describe('malformed bodies', () => {
  it('answers 400 to truncated JSON', async () => {
    const answer = await post('[{"lat": 52.5, "lon": 13', {})
    expect(answer.status).toBe(400)
    expect(answer.body).toEqual({ error: expect.stringMatching(/JSON/) })
  })

  it('answers 400 to bytes that are not UTF-8', async () => {
    const [point] = makePoints(fleet.deviceIds[0], 1)
    const text = JSON.stringify({ ...point, status: '@@' })
    const bytes = Buffer.from(text)
    bytes.set([0xff, 0xfe], text.indexOf('@@'))
    const answer = await post(new Uint8Array(bytes), {})
    expect(answer.status).toBe(400)
    expect(answer.body).toEqual({ error: expect.stringMatching(/UTF-8/) })
    expect((await storedPointCounts(server.db.db, fleet.deviceIds)).has(wireKey(point!))).toBe(
      false,
    )
  })

  it('accepts a body that starts with a UTF-8 byte order mark, as a decoder would', async () => {
    const points = makePoints(fleet.deviceIds[0], 2)
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(JSON.stringify(points)),
    ])
    const answer = await post(new Uint8Array(bytes), {})
    expect(answer).toMatchObject({ status: 200, body: { accepted: 2 } })
  })

  it('rejects 1e309 (Infinity) as a number with 422', async () => {
    const [point] = makePoints(fleet.deviceIds[0], 1)
    const text = JSON.stringify(point).replace(/"lat":[^,]+/, '"lat":1e309')
    const answer = await post(text, {})
    expect(answer.status).toBe(422)
    expect((answer.body as IngestResult).rejected).toEqual([
      { index: 0, error: expect.stringMatching(/lat/) },
    ])
  })

  it('rejects an array nested 10,000 deep without crashing', async () => {
    const before = await storedCount()
    const answer = await post(`${'['.repeat(10_000)}${']'.repeat(10_000)}`, {})
    expect(answer.status).toBe(422)
    expect((answer.body as IngestResult).rejected).toHaveLength(1)
    await expectResponsive()
    expect(await storedCount()).toBe(before)
  })

  it('answers 400 to malformed NDJSON, naming the line', async () => {
    const [point] = makePoints(fleet.deviceIds[0], 1)
    const answer = await post(`${JSON.stringify(point)}\n{"lat":\n`, {
      contentType: 'application/x-ndjson',
    })
    expect(answer.status).toBe(400)
    expect(answer.body).toEqual({ error: expect.stringMatching(/line 2/) })
  })
})

describe('size limits', () => {
  it('answers 413 to a Content-Length over the limit before the body is sent', async () => {
    const answer = await postHeadersOnly(`${server.url}/api/telemetry`, {
      'content-type': 'application/json',
      'content-length': String(MAX_BODY_BYTES * 100),
      authorization: `Bearer ${fleet.token.secret}`,
    })
    expect(answer.status).toBe(413)
  })

  it('answers 413 to a chunked body that grows past the limit', async () => {
    const answer = await postChunkedUntilAnswered(
      `${server.url}/api/telemetry`,
      { 'content-type': 'application/json', authorization: `Bearer ${fleet.token.secret}` },
      // Up to 100 × 8 KiB = 800 KiB, far past the 64 KiB limit.
      { chunk: Buffer.alloc(8192, ' '), maxChunks: 100 },
    )
    expect(answer.status).toBe(413)
    await expectResponsive()
  })

  it('answers 413 to more points than allowed, and stores none', async () => {
    const points = makePoints(fleet.deviceIds[0], 501)
    const answer = await post(points, {})
    expect(answer.status).toBe(413)
    const stored = await storedPointCounts(server.db.db, fleet.deviceIds)
    expect(points.filter((p) => stored.has(wireKey(p)))).toEqual([])
  })
})

describe('content types and methods', () => {
  it('answers 415 to text/plain', async () => {
    const answer = await post(makePoints(fleet.deviceIds[0], 1), { contentType: 'text/plain' })
    expect(answer.status).toBe(415)
  })

  it('answers 415 to a gzip-encoded body', async () => {
    const answer = await post(makePoints(fleet.deviceIds[0], 1), {
      headers: { 'content-encoding': 'gzip' },
    })
    expect(answer.status).toBe(415)
  })

  it('answers 405 with Allow: POST to GET', async () => {
    const answer = await postTelemetry(server.url, { method: 'GET', body: undefined })
    expect(answer.status).toBe(405)
    expect(answer.headers.get('allow')).toBe('POST')
  })
})

describe('hostile strings and keys', () => {
  it('ignores __proto__ and constructor keys and pollutes nothing', async () => {
    const [point] = makePoints(fleet.deviceIds[0], 1)
    const json = JSON.stringify(point).replace(
      /^\{/,
      '{"__proto__":{"polluted":"yes","device_id":"00000000-0000-4000-8000-000000000000"},' +
        '"constructor":{"prototype":{"polluted":"yes"}},',
    )
    const answer = await post(`[${json}]`, {})
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
    const rows = await storedPointCounts(server.db.db, fleet.deviceIds)
    expect(rows.get(wireKey(point!))).toBe(1)
  })

  it('stores SQL and COPY metacharacters in text fields literally', async () => {
    const [point] = makePoints(fleet.deviceIds[0], 1)
    const status = "'); drop table telemetry;--"
    // COPY's NULL marker and end-of-data line, placeholders of other layers, backslashes.
    const swVersion = ['\\N', '\\.', '$1 %s', `\${x}`, '\\\\'].join('\t')
    const answer = await post({ ...point, status, sw_version: swVersion }, {})
    expect(answer.status).toBe(200)
    const rows = await server.db.db
      .select()
      .from(telemetry)
      .where(eq(telemetry.deviceId, fleet.deviceIds[0]!))
    const row = rows.find((r) => r.time.getTime() === Date.parse(String(point!.time)))
    expect(row?.status).toBe(status)
    expect(row?.swVersion).toBe(swVersion)
  })
})
