import { setTimeout as sleep } from 'node:timers/promises'
import { type Fleet, makePoints, postTelemetry, provisionFleet } from '@fms/testkit'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { readMetric, storedPointCounts } from './testing/telemetry.ts'
import { waitUntil } from './testing/wait.ts'

// Rate limits per device (INGEST_RATE_LIMIT each, burst twice that), with a token ceiling of
// that rate times the token's devices, over HTTP and MQTT against the real server and broker.
const RATE = 2
const DEVICES = 100
const MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883'
const PREFIX = `fmsrate${process.pid}`
let server: RunningServer
let fleet: Fleet

beforeAll(async () => {
  server = await startTestServer({
    INGEST_RATE_LIMIT: String(RATE),
    INGEST_ANON_RATE_LIMIT: '1',
    MQTT_URL,
    MQTT_TOPIC_PREFIX: PREFIX,
  })
  fleet = await provisionFleet(server.url, { vehicles: DEVICES })
}, 60_000)
afterAll(() => server?.close())

function postFor(deviceId: string | undefined, options: { inBody?: boolean; token?: string } = {}) {
  const token = options.token ?? fleet.token.secret
  const points = makePoints(deviceId, 1)
  return postTelemetry(server.url, {
    token: options.inBody ? undefined : token,
    body: options.inBody ? points.map((point) => ({ ...point, token })) : points,
  })
}

/** Every device posts once a second for `seconds`; the statuses of every answer. */
async function fleetAtOneHertz(seconds: number, options: { inBody?: boolean } = {}) {
  const statuses: number[] = []
  for (let second = 0; second < seconds; second++) {
    const started = performance.now()
    const answers = await Promise.all(fleet.deviceIds.map((id) => postFor(id, options)))
    statuses.push(...answers.map((answer) => answer.status))
    await sleep(Math.max(0, 1000 - (performance.now() - started)))
  }
  return statuses
}

function count(statuses: number[], status: number): number {
  return statuses.filter((s) => s === status).length
}

describe('per-device rate limits on one shared token', () => {
  it('never throttles 100 devices sharing a token at one request a second each', async () => {
    const statuses = await fleetAtOneHertz(4)
    expect(statuses).toHaveLength(4 * DEVICES)
    expect(count(statuses, 200)).toBe(statuses.length)
  })

  it('nor when they carry the token in the body, all from one address', async () => {
    // INGEST_ANON_RATE_LIMIT (1 per second here) counts only failed requests without a header.
    const statuses = await fleetAtOneHertz(2, { inBody: true })
    expect(count(statuses, 200)).toBe(statuses.length)
  })

  it('answers 429 to a flooding device while its neighbours on the token carry on', async () => {
    const [flooder, ...neighbours] = fleet.deviceIds
    await sleep(1000 / RATE) // let the flooder's bucket refill from the tests before
    const flood = []
    for (let i = 0; i < 4 * RATE + 4; i++) flood.push(await postFor(flooder))
    const limited = flood.filter((answer) => answer.status === 429)
    expect(limited.length).toBeGreaterThanOrEqual(4)
    expect(limited[0]?.headers.get('retry-after')).toBe('1')
    expect(limited[0]?.body).toEqual({ error: `Rate limit exceeded for device ${flooder}` })
    const others = await Promise.all(neighbours.slice(0, 20).map((id) => postFor(id)))
    expect(others.map((answer) => answer.status)).toEqual(others.map(() => 200))
    // The flooder's bucket refills at its rate.
    await sleep(1000 / RATE + 100)
    expect((await postFor(flooder)).status).toBe(200)
  })

  it('caps a token by its ceiling, the device rate times its devices, for requests naming no device', async () => {
    const small = await provisionFleet(server.url, { orgName: 'One tracker' })
    const statuses: number[] = []
    // Every point is invalid (422): no device is charged, the token's ceiling is.
    for (let i = 0; i < 4 * RATE; i++) {
      const answer = await postTelemetry(server.url, {
        token: small.token.secret,
        body: [{ device_id: small.deviceIds[0], lat: 999, lon: 0 }],
      })
      statuses.push(answer.status)
    }
    expect(count(statuses, 422)).toBeGreaterThanOrEqual(1)
    expect(count(statuses, 429)).toBeGreaterThanOrEqual(1)
    expect(statuses.filter((s) => s !== 422 && s !== 429)).toEqual([])
  })

  it('still limits failed requests without a header per address', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const answer = await postFor(fleet.deviceIds[0], {
        inBody: true,
        token: 'fmd_AAAAAAAA_wrong',
      })
      statuses.push(answer.status)
    }
    expect(statuses.slice(0, 2)).toEqual([401, 401])
    expect(statuses.at(-1)).toBe(429)
  })
})

describe('the same limits on MQTT', () => {
  let device: MqttClient
  beforeAll(async () => {
    device = await mqtt.connectAsync(MQTT_URL, { protocolVersion: 5 })
  })
  afterAll(() => device?.endAsync())

  const auth = () => ({ userProperties: { authorization: `Bearer ${fleet.token.secret}` } })
  const topicFor = (deviceId: string) => `${PREFIX}/${fleet.orgId}/${deviceId}/telemetry`

  it("keeps a reconnecting tracker's backlog, drops and counts a flood beyond it, not its neighbour's", async () => {
    const flooder = fleet.deviceIds[50] as string
    const neighbour = fleet.deviceIds[51] as string
    const limited = () => readMetric(server.url, 'fms_mqtt_messages_total{result="rate_limited"}')
    const before = await limited()
    const storedBefore = (await storedPointCounts(server.db.db, [flooder])).size
    // A minute's worth of the device rate goes through back to back; the rest is dropped. The
    // excess is 30 s of the rate, so the bucket's refill while a loaded machine works through the
    // flood (each message waits for its commit) still leaves a clear part of it dropped.
    const flood = Array.from({ length: 60 * RATE + 30 * RATE }, () => makePoints(undefined, 1))
    for (const points of flood) {
      await device.publishAsync(topicFor(flooder), JSON.stringify(points), {
        qos: 1,
        properties: auth(),
      })
    }
    const [neighbourPoint] = makePoints(neighbour, 1)
    await device.publishAsync(topicFor(neighbour), JSON.stringify(neighbourPoint), {
      qos: 1,
      properties: auth(),
    })
    // Generous waits: a loaded machine commits the flood's queue slowly; polling ends them early.
    await waitUntil(async () => (await storedPointCounts(server.db.db, [neighbour])).size >= 1, {
      timeoutMs: 30_000,
    })
    await waitUntil(async () => (await limited()) - before >= 6, { timeoutMs: 30_000 })
    const stored = (await storedPointCounts(server.db.db, [flooder])).size - storedBefore
    expect(stored + (await limited()) - before).toBe(flood.length)
    expect(stored).toBeGreaterThanOrEqual(60 * RATE)
  }, 90_000)
})
