import type { IngestResult } from '@fms/api/schemas'
import { eq } from '@fms/db'
import { telemetry } from '@fms/db/schema'
import {
  type Fleet,
  makePoints,
  postTelemetry,
  provisionFleet,
  type WirePoint,
  wireKey,
} from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { readMetric, storedPointCounts } from './testing/telemetry.ts'

// POST /api/telemetry through the real server over the network, on the embedded database.
let server: RunningServer
let fleet: Fleet
let loneFleet: Fleet

beforeAll(async () => {
  server = await startTestServer({
    INGEST_MAX_BODY_BYTES: '65536',
    INGEST_MAX_POINTS: '500',
    INGEST_RATE_LIMIT: '0',
  })
  fleet = await provisionFleet(server.url, { vehicles: 2 })
  loneFleet = await provisionFleet(server.url, { vehicles: 1 })
})
afterAll(() => server?.close())

function post(body: unknown, options: { token?: string; contentType?: string } = {}) {
  return postTelemetry(server.url, { token: fleet.token.secret, body, ...options })
}

/** How often each of `points` is stored (0 = missing). */
async function storedCopies(points: readonly WirePoint[]): Promise<number[]> {
  const deviceIds = [...new Set(points.map((p) => String(p.device_id)))]
  const counts = await storedPointCounts(server.db.db, deviceIds)
  return points.map((p) => counts.get(wireKey(p)) ?? 0)
}

async function rowsOf(deviceId: string) {
  return server.db.db.select().from(telemetry).where(eq(telemetry.deviceId, deviceId))
}

describe('accepted bodies', () => {
  it('stores one JSON object and answers {accepted, duplicates, rejected}', async () => {
    const [point] = makePoints(fleet.deviceIds[0], 1)
    const answer = await post({ ...point, rpm: 2100, fuel: 64.5, status: 'moving' })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] })
    const row = (await rowsOf(fleet.deviceIds[0]!)).find(
      (r) => r.time.getTime() === Date.parse(String(point!.time)),
    )
    expect(row).toMatchObject({
      orgId: fleet.orgId,
      vehicleId: fleet.vehicleIds[0],
      lat: point!.lat,
      lon: point!.lon,
      rpm: 2100,
      fuel: 64.5,
      status: 'moving',
    })
  })

  it('stores a JSON array of points for several devices', async () => {
    const points = [...makePoints(fleet.deviceIds[0], 3), ...makePoints(fleet.deviceIds[1], 2)]
    const answer = await post(points)
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ accepted: 5, duplicates: 0, rejected: [] })
    expect(await storedCopies(points)).toEqual([1, 1, 1, 1, 1])
  })

  it('stores NDJSON, one point per line', async () => {
    const points = makePoints(fleet.deviceIds[1], 4)
    const ndjson = `${points.map((p) => JSON.stringify(p)).join('\n')}\n`
    const answer = await post(ndjson, { contentType: 'application/x-ndjson' })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ accepted: 4, duplicates: 0, rejected: [] })
    expect(await storedCopies(points)).toEqual([1, 1, 1, 1])
  })

  it("stores the original app's form: iot_id and token in the body, long for lon", async () => {
    const [point] = makePoints(undefined, 1)
    const { lon, ...rest } = point!
    const body = { ...rest, iot_id: fleet.deviceIds[0], token: fleet.token.secret, long: lon }
    const answer = await postTelemetry(server.url, { body })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] })
    expect(await storedCopies([{ ...point, device_id: fleet.deviceIds[0] }])).toEqual([1])
  })

  it('posts for the only device of a token when the point names none', async () => {
    const points = makePoints(undefined, 2)
    const answer = await post(points, { token: loneFleet.token.secret })
    expect(answer.status).toBe(200)
    const stored = points.map((p) => ({ ...p, device_id: loneFleet.deviceIds[0] }))
    expect(await storedCopies(stored)).toEqual([1, 1])
  })
})

describe('rejected points', () => {
  it('reports bad points by index with a reason and stores the good ones', async () => {
    const [good1, bad1, good2, bad2, bad3] = makePoints(fleet.deviceIds[0], 5)
    const answer = await post([
      good1,
      { ...bad1, lat: 91 },
      good2,
      { ...bad2, speed: 'fast' },
      { ...bad3, device_id: 'not-a-uuid' },
    ])
    expect(answer.status).toBe(200)
    const body = answer.body as IngestResult
    expect(body.accepted).toBe(2)
    expect(body.rejected.map((r) => r.index)).toEqual([1, 3, 4])
    expect(body.rejected[0]!.error).toMatch(/lat/)
    expect(body.rejected[1]!.error).toMatch(/speed/)
    expect(body.rejected[2]!.error).toMatch(/device_id/)
    expect(await storedCopies([good1!, bad1!, good2!, bad2!])).toEqual([1, 0, 1, 0])
  })

  it('answers 422 when every point is bad, and stores nothing', async () => {
    const points = makePoints(fleet.deviceIds[0], 2).map((p) => ({ ...p, lon: 181 }))
    const answer = await post(points)
    expect(answer.status).toBe(422)
    expect((answer.body as IngestResult).rejected.map((r) => r.index)).toEqual([0, 1])
    expect(await storedCopies(points)).toEqual([0, 0])
  })

  it("rejects a point naming another organization's device and never stores it", async () => {
    const [foreign] = makePoints(loneFleet.deviceIds[0], 1)
    const answer = await post([foreign])
    // A token serving none of the named devices is a bad credential for them: 401.
    expect(answer.status).toBe(401)
    // The same answer as for an id that exists nowhere: ids can't be probed.
    const [unknown] = makePoints(crypto.randomUUID(), 1)
    expect((await post([unknown])).text).toBe(answer.text)
    expect(await storedCopies([foreign!])).toEqual([0])
  })

  it('rejects a point timed 2 hours ahead', async () => {
    const [point] = makePoints(fleet.deviceIds[0], 1)
    const ahead = { ...point, time: new Date(Date.now() + 2 * 3_600_000).toISOString() }
    const answer = await post([ahead])
    expect(answer.status).toBe(422)
    expect((answer.body as IngestResult).rejected[0]!.error).toMatch(/future/)
    expect(await storedCopies([ahead])).toEqual([0])
  })

  it('rejects a point 400 days old', async () => {
    const [point] = makePoints(fleet.deviceIds[0], 1)
    const old = { ...point, time: Date.now() - 400 * 86_400_000 }
    const answer = await post([old])
    expect(answer.status).toBe(422)
    expect((answer.body as IngestResult).rejected[0]!.error).toMatch(/old/)
    expect(await storedCopies([old])).toEqual([0])
  })

  it('rejects epoch seconds and accepts epoch milliseconds', async () => {
    const [seconds, millis] = makePoints(fleet.deviceIds[1], 2)
    const answer = await post([
      { ...seconds, time: Math.floor(Date.parse(String(seconds!.time)) / 1000) },
      { ...millis, time: Date.parse(String(millis!.time)) },
    ])
    expect(answer.status).toBe(200)
    const body = answer.body as IngestResult
    expect(body.accepted).toBe(1)
    expect(body.rejected).toEqual([{ index: 0, error: expect.stringMatching(/seconds/) }])
    expect(await storedCopies([millis!])).toEqual([1])
  })
})

describe('re-sent batches', () => {
  it('stores a batch sent 5 times in a row once, and counts the repeats as duplicates', async () => {
    const batch = makePoints(fleet.deviceIds[0], 20)
    const answers = []
    for (let i = 0; i < 5; i++) answers.push(await post(batch))
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200])
    expect(answers.map((a) => a.body)).toEqual([
      { accepted: 20, duplicates: 0, rejected: [] },
      ...Array.from({ length: 4 }, () => ({ accepted: 0, duplicates: 20, rejected: [] })),
    ])
    expect(new Set(await storedCopies(batch))).toEqual(new Set([1]))
  })

  it('stores a batch sent 5 times at once once; the answers add up', async () => {
    const batch = makePoints(fleet.deviceIds[1], 20)
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => post(batch)))
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200])
    const bodies = answers.map((a) => a.body as IngestResult)
    expect(bodies.reduce((sum, b) => sum + b.accepted, 0)).toBe(20)
    expect(bodies.reduce((sum, b) => sum + b.duplicates, 0)).toBe(80)
    expect(new Set(await storedCopies(batch))).toEqual(new Set([1]))
  })
})

describe('metrics', () => {
  it('counts accepted points on /metrics', async () => {
    const sample = 'fms_ingest_points_total{result="accepted"}'
    const before = await readMetric(server.url, sample)
    expect((await post(makePoints(fleet.deviceIds[0], 7))).status).toBe(200)
    expect(await readMetric(server.url, sample)).toBe(before + 7)
  })
})
