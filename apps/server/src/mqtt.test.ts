import { eq } from '@fms/db'
import { telemetry } from '@fms/db/schema'
import { type Fleet, makePoints, provisionFleet } from '@fms/testkit'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { readMetric } from './testing/telemetry.ts'
import { waitUntil } from './testing/wait.ts'

// Against the real Mosquitto broker on this machine.
const MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883'
const PREFIX = `fmstest${process.pid}`
let server: RunningServer
let fleet: Fleet
let device: MqttClient

beforeAll(async () => {
  server = await startTestServer({ MQTT_URL, MQTT_TOPIC_PREFIX: PREFIX })
  fleet = await provisionFleet(server.url, { vehicles: 2 })
  device = await mqtt.connectAsync(MQTT_URL, { protocolVersion: 5 })
})
afterAll(async () => {
  await device?.endAsync()
  await server?.close()
})

function topicFor(index: number, orgId = fleet.orgId) {
  return `${PREFIX}/${orgId}/${fleet.deviceIds[index]}/telemetry`
}

async function storedTimes(index: number): Promise<number[]> {
  const rows = await server.db.db
    .select({ time: telemetry.time })
    .from(telemetry)
    .where(eq(telemetry.deviceId, fleet.deviceIds[index]!))
  return rows.map((r) => r.time.getTime())
}

function timeOf(point: Record<string, unknown>): number {
  return Date.parse(String(point.time))
}

describe('MQTT ingestion', () => {
  it('stores points published with the token as an MQTT 5 user property', async () => {
    const points = makePoints(undefined, 3)
    await device.publishAsync(topicFor(0), JSON.stringify(points), {
      qos: 1,
      properties: { userProperties: { authorization: `Bearer ${fleet.token.secret}` } },
    })
    await waitUntil(async () => (await storedTimes(0)).length >= 3, { timeoutMs: 5000 })
    expect((await storedTimes(0)).sort()).toEqual(points.map(timeOf).sort())
  })

  it("stores a point carrying the original app's in-body token", async () => {
    const [point] = makePoints(undefined, 1)
    await device.publishAsync(
      topicFor(1),
      JSON.stringify({ ...point, token: fleet.token.secret }),
      {
        qos: 1,
      },
    )
    await waitUntil(async () => (await storedTimes(1)).includes(timeOf(point!)), {
      timeoutMs: 5000,
    })
  })

  it('assigns the driver a published point names', async () => {
    const driver = await fleet.api.drivers.create.mutate({
      name: 'Mqtt Driver',
      identifier: 'MQ-77',
    })
    const [point] = makePoints(undefined, 1)
    await device.publishAsync(topicFor(1), JSON.stringify({ ...point, driver_id: 'MQ-77' }), {
      qos: 1,
      properties: { userProperties: { authorization: `Bearer ${fleet.token.secret}` } },
    })
    const current = async () =>
      (await fleet.api.drivers.current.query()).items.find(
        (c) => c.vehicleId === fleet.vehicleIds[1],
      )
    await waitUntil(async () => (await current()) !== undefined, { timeoutMs: 10_000 })
    expect(await current()).toMatchObject({ driverId: driver.id, identifier: 'MQ-77' })
  })

  it('counts and drops bad messages without stopping the subscription', async () => {
    const auth = { userProperties: { authorization: `Bearer ${fleet.token.secret}` } }
    const malformed = () => readMetric(server.url, 'fms_mqtt_messages_total{result="malformed"}')
    const unauthorized = () =>
      readMetric(server.url, 'fms_mqtt_messages_total{result="unauthorized"}')
    const before = { malformed: await malformed(), unauthorized: await unauthorized() }
    await device.publishAsync(topicFor(0), '{not json', { qos: 1, properties: auth })
    await device.publishAsync(topicFor(0), JSON.stringify(makePoints(undefined, 1)), {
      qos: 1,
      properties: { userProperties: { authorization: 'Bearer fmd_AAAAAAAA_wrong' } },
    })
    await device.publishAsync(
      topicFor(0, crypto.randomUUID()),
      JSON.stringify(makePoints(undefined, 1)),
      {
        qos: 1,
        properties: auth,
      },
    )
    await waitUntil(async () => (await unauthorized()) >= before.unauthorized + 2, {
      timeoutMs: 5000,
    })
    expect(await malformed()).toBe(before.malformed + 1)
    const [good] = makePoints(undefined, 1)
    await device.publishAsync(topicFor(0), JSON.stringify(good), { qos: 1, properties: auth })
    await waitUntil(async () => (await storedTimes(0)).includes(timeOf(good!)), { timeoutMs: 5000 })
  })
})
