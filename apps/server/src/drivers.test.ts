import { type Fleet, postTelemetry, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { waitUntil } from './testing/wait.ts'

let server: RunningServer
let fleet: Fleet
let other: Fleet
const IMEI = '865123045600077'
// Whole seconds two hours ago: recent, and surely before "now".
const T0 = Math.floor((Date.now() - 2 * 3_600_000) / 1000) * 1000
const MIN = 60_000

beforeAll(async () => {
  server = await startTestServer({ INGEST_RATE_LIMIT: '0', DEVICE_TOKEN_CACHE_SEC: '0' })
  fleet = await provisionFleet(server.url, { vehicles: 3 })
  other = await provisionFleet(server.url)
  await fleet.api.devices.update.mutate({ id: fleet.deviceIds[2]!, externalId: IMEI })
})
afterAll(() => server?.close())

function point(index: number, offsetMin: number, driverId?: string) {
  return {
    device_id: fleet.deviceIds[index],
    time: new Date(T0 + offsetMin * MIN).toISOString(),
    lat: 52.5 + offsetMin / 1e3,
    lon: 13.4,
    speed: 40,
    ignition: true,
    ...(driverId === undefined ? {} : { driver_id: driverId }),
  }
}

async function post(points: Record<string, unknown>[]) {
  const answer = await postTelemetry(server.url, { token: fleet.token.secret, body: points })
  expect(answer.status).toBe(200)
  expect(answer.body).toMatchObject({ accepted: points.length })
}

async function timeline(vehicleIndex: number) {
  const { items } = await fleet.api.drivers.assignments.query({
    vehicleId: fleet.vehicleIds[vehicleIndex],
    from: new Date(T0 - 3_600_000),
    to: new Date(),
  })
  return items
    .map((a) => [
      (a.from.getTime() - T0) / MIN,
      a.to && (a.to.getTime() - T0) / MIN,
      a.driverName ?? `?${a.identifier}`,
    ])
    .reverse()
}

describe('drivers identified by the device', () => {
  it('switches the driver where the identifier changes, late points included', async () => {
    const anna = await fleet.api.drivers.create.mutate({ name: 'Anna', identifier: 'RFID-A1' })
    const ben = await fleet.api.drivers.create.mutate({ name: 'Ben', identifier: 'RFID-B2' })
    await post([
      point(0, 0, 'RFID-A1'),
      point(0, 1, 'RFID-A1'),
      point(0, 2),
      point(0, 3, 'RFID-A1'),
    ])
    await waitUntil(async () => (await timeline(0)).length === 1, {
      timeoutMs: 10_000,
      what: 'stint',
    })
    expect(await timeline(0)).toEqual([[0, null, 'Anna']])

    await post([point(0, 30, 'RFID-B2'), point(0, 31, 'RFID-B2')])
    await waitUntil(async () => (await timeline(0)).length === 2, {
      timeoutMs: 10_000,
      what: 'switch',
    })
    // Late: Ben's card was already in at minute 20.
    await post([point(0, 20, 'RFID-B2')])
    await waitUntil(async () => (await timeline(0))[0]?.[1] === 20, {
      timeoutMs: 10_000,
      what: 'late',
    })
    expect(await timeline(0)).toEqual([
      [0, 20, 'Anna'],
      [20, null, 'Ben'],
    ])
    const current = await fleet.api.drivers.current.query()
    expect(current.items.find((c) => c.vehicleId === fleet.vehicleIds[0])?.driverId).toBe(ben.id)
    expect(anna.id).not.toBe(ben.id)
  })

  it('raises one unknown_driver alert for an identifier nobody carries', async () => {
    await post([
      point(1, 0, 'CARD-<script>'),
      point(1, 1, 'CARD-<script>'),
      point(1, 2, 'CARD-<script>'),
    ])
    await waitUntil(async () => (await timeline(1)).length === 1, {
      timeoutMs: 10_000,
      what: 'stint',
    })
    const alerts = await fleet.api.alerts.list.query({ kind: 'unknown_driver', limit: 100 })
    const mine = alerts.items.filter((a) => a.vehicleId === fleet.vehicleIds[1])
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({
      time: new Date(T0),
      message: expect.stringContaining('CARD-<script>'),
    })
    expect(await timeline(1)).toEqual([[0, null, '?CARD-<script>']])
    // Another organization sees none of it.
    const theirs = await other.api.alerts.list.query({ kind: 'unknown_driver' })
    expect(theirs.items).toEqual([])
  })

  it("takes OsmAnd's driverUniqueId", async () => {
    await fleet.api.drivers.create.mutate({ name: 'Carla', identifier: 'IBUTTON-C3' })
    const t = Math.floor(T0 / 1000)
    const res = await fetch(
      `${server.url}/osmand/${fleet.token.secret}?id=${IMEI}&timestamp=${t}&lat=52.5&lon=13.4&speed=10&driverUniqueId=IBUTTON-C3`,
    )
    expect(res.status).toBe(200)
    await waitUntil(async () => (await timeline(2)).length === 1, {
      timeoutMs: 10_000,
      what: 'osmand',
    })
    expect(await timeline(2)).toEqual([[0, null, 'Carla']])
  })

  it('refuses an identifier longer than the reading allows, storing nothing of it', async () => {
    const answer = await postTelemetry(server.url, {
      token: fleet.token.secret,
      body: [point(1, 50, 'X'.repeat(65))],
    })
    expect(answer.status).toBe(422)
    expect(JSON.stringify(answer.body)).toMatch(/driver_id/)
  })
})
