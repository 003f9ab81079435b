import { type Fleet, makePoints, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { uploadWhole } from './testing/raw-http.ts'
import { startTestServer } from './testing/server.ts'
import { storedPointCounts } from './testing/telemetry.ts'

// An answer given before the body is read (401, 413, 415) must reach a client that is still
// writing: the server reads and discards the rest of the body (bounded) before it closes.
const BIG = Buffer.alloc(26 * 1024 * 1024, 0x20)
let server: RunningServer
let fleet: Fleet

beforeAll(async () => {
  server = await startTestServer({ INGEST_MAX_BODY_BYTES: String(5_000_000) })
  fleet = await provisionFleet(server.url)
})
afterAll(() => server?.close())

const json = { 'content-type': 'application/json' }

describe('answers before the body is read', () => {
  it('a 26 MB body receives its 413 twenty times out of twenty', async () => {
    const outcomes = []
    for (let i = 0; i < 20; i++) {
      outcomes.push(
        await uploadWhole(
          `${server.url}/api/telemetry`,
          { ...json, authorization: `Bearer ${fleet.token.secret}` },
          BIG,
        ),
      )
    }
    expect(outcomes.map((o) => [o.status, o.error])).toEqual(
      Array.from({ length: 20 }, () => [413, null]),
    )
    expect(JSON.parse(outcomes[0]?.text ?? '')).toEqual({
      error: expect.stringMatching(/Body over/),
    })
  })

  it('a chunked body that grows past the limit receives its 413', async () => {
    const outcome = await uploadWhole(
      `${server.url}/api/telemetry`,
      { ...json, authorization: `Bearer ${fleet.token.secret}` },
      BIG,
      { isChunked: true },
    )
    expect([outcome.status, outcome.error]).toEqual([413, null])
  })

  it('a bad token with a big body receives its 401, on both ingestion paths', async () => {
    const telemetry = await uploadWhole(
      `${server.url}/api/telemetry`,
      { ...json, authorization: 'Bearer fmd_AAAAAAAA_not-a-token' },
      BIG,
    )
    expect([telemetry.status, telemetry.error]).toEqual([401, null])
    const osmand = await uploadWhole(
      `${server.url}/osmand/fmd_AAAAAAAA_not-a-token`,
      { 'content-type': 'application/x-www-form-urlencoded' },
      BIG,
    )
    expect([osmand.status, osmand.error]).toEqual([401, null])
  })

  it('a body of a type not accepted receives its 415', async () => {
    const outcome = await uploadWhole(
      `${server.url}/api/telemetry`,
      { 'content-type': 'text/csv', authorization: `Bearer ${fleet.token.secret}` },
      BIG,
    )
    expect([outcome.status, outcome.error]).toEqual([415, null])
  })

  it('keeps serving and storing after the refused uploads', async () => {
    const points = makePoints(fleet.deviceIds[0], 3)
    const outcome = await uploadWhole(
      `${server.url}/api/telemetry`,
      { ...json, authorization: `Bearer ${fleet.token.secret}` },
      Buffer.from(JSON.stringify(points)),
    )
    expect(outcome.status).toBe(200)
    expect((await storedPointCounts(server.db.db, fleet.deviceIds)).size).toBe(3)
  })
})

describe('the linger is bounded', () => {
  let bounded: RunningServer
  let boundedFleet: Fleet
  beforeAll(async () => {
    bounded = await startTestServer({
      INGEST_MAX_BODY_BYTES: String(1_000_000),
      INGEST_LINGER_MAX_BYTES: String(2_000_000),
    })
    boundedFleet = await provisionFleet(bounded.url)
  })
  afterAll(() => bounded?.close())

  it('cuts the connection once the discarded body passes INGEST_LINGER_MAX_BYTES', async () => {
    const outcome = await uploadWhole(
      `${bounded.url}/api/telemetry`,
      { ...json, authorization: `Bearer ${boundedFleet.token.secret}` },
      BIG,
    )
    // The answer went out first; the client still writing then meets the cut.
    expect(outcome.error).toMatch(/EPIPE|ECONNRESET/)
    const small = await uploadWhole(
      `${bounded.url}/api/telemetry`,
      { ...json, authorization: `Bearer ${boundedFleet.token.secret}` },
      BIG.subarray(0, 1_500_000),
    )
    expect([small.status, small.error]).toEqual([413, null])
  })
})
