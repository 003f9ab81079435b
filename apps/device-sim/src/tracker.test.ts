import { setTimeout as sleep } from 'node:timers/promises'
import { type Fleet, provisionFleet, type SpawnedServer, spawnServer } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTracker, type Tracker } from './tracker.ts'

// The real server as its own process and the real Mosquitto broker on this machine.
const MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883'
const PREFIX = `fmssim${process.pid}`
const NEVER_SEC = 3600
let server: SpawnedServer
let fleet: Fleet
const trackers: Tracker[] = []

beforeAll(async () => {
  server = await spawnServer({
    env: { MQTT_URL, MQTT_TOPIC_PREFIX: PREFIX, INGEST_RATE_LIMIT: '0' },
  })
  fleet = await provisionFleet(server.url, { vehicles: 2 })
  await fleet.api.devices.update.mutate({ id: fleet.deviceIds[0] as string, externalId: 'sim-1' })
}, 120_000)
afterAll(async () => {
  for (const tracker of trackers) await tracker.close()
  await server?.stop()
})

async function commandState(id: string) {
  const { items } = await fleet.api.commands.list.query({ limit: 100 })
  return items.find((c) => c.id === id)
}

/** Polls until the command is in `status` (the device answers on its own schedule). */
async function waitForStatus(id: string, status: string) {
  for (let i = 0; i < 200; i++) {
    const command = await commandState(id)
    if (command?.status === status) return command
    await sleep(50)
  }
  throw new Error(`command ${id} never became ${status}: ${JSON.stringify(await commandState(id))}`)
}

describe('the simulated tracker', () => {
  it('takes commands from OsmAnd answers, obeys them and acknowledges them', async () => {
    const tracker = await startTracker({
      protocol: 'osmand',
      server: server.url,
      token: fleet.token.secret,
      externalId: 'sim-1',
      intervalSec: NEVER_SEC,
    })
    trackers.push(tracker)
    const deviceId = fleet.deviceIds[0] as string
    const interval = await fleet.api.commands.send.mutate({
      deviceId,
      type: 'setReportInterval',
      payload: { seconds: 7 },
    })
    const text = await fleet.api.commands.send.mutate({
      deviceId,
      type: 'custom',
      payload: { text: 'hello <tracker> & "you"' },
    })
    await tracker.reportNow()
    const acknowledged = await waitForStatus(interval.id, 'acknowledged')
    expect(acknowledged).toMatchObject({ channel: 'osmand', result: 'interval 7' })
    expect(tracker.intervalSec).toBe(7)
    // The second goes out with the report that carried the first one's answer.
    expect(await waitForStatus(text.id, 'acknowledged')).toMatchObject({
      result: 'hello <tracker> & "you"',
    })
    expect(tracker.commands.map((c) => c.id)).toEqual([interval.id, text.id])
  })

  it('takes commands on its MQTT downlink, obeys them and acknowledges them', async () => {
    const deviceId = fleet.deviceIds[1] as string
    const tracker = await startTracker({
      protocol: 'mqtt',
      server: server.url,
      token: fleet.token.secret,
      mqttUrl: MQTT_URL,
      topicPrefix: PREFIX,
      orgId: fleet.orgId,
      deviceId,
      intervalSec: NEVER_SEC,
    })
    trackers.push(tracker)
    const command = await fleet.api.commands.send.mutate({
      deviceId,
      type: 'setReportInterval',
      payload: { seconds: 12 },
    })
    await tracker.reportNow()
    expect(await waitForStatus(command.id, 'acknowledged')).toMatchObject({
      channel: 'mqtt',
      result: 'interval 12',
    })
    expect(tracker.intervalSec).toBe(12)
    expect(tracker.commands.map((c) => c.id)).toEqual([command.id])
  })
})
