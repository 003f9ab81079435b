import { createJwtService } from '@fms/auth'
import { eq } from '@fms/db'
import { telemetry } from '@fms/db/schema'
import {
  type Fleet,
  makePoints,
  postTelemetry,
  provisionFleet,
  subscribeLive,
  TEST_JWT_SECRET,
} from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { waitUntil } from './testing/wait.ts'

let server: RunningServer
let alpha: Fleet
let beta: Fleet
const open: { close(): Promise<void> }[] = []

beforeAll(async () => {
  server = await startTestServer({ INGEST_RATE_LIMIT: '0' })
  alpha = await provisionFleet(server.url, { vehicles: 2 })
  beta = await provisionFleet(server.url, { vehicles: 2 })
})
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()))
  await server?.close()
})

function subscribe(...args: Parameters<typeof subscribeLive>) {
  const subscriber = subscribeLive(...args)
  open.push(subscriber)
  return subscriber
}

async function post(fleet: Fleet, deviceIndex: number, count = 1) {
  const answer = await postTelemetry(server.url, {
    token: fleet.token.secret,
    body: makePoints(fleet.deviceIds[deviceIndex], count),
  })
  expect(answer.status).toBe(200)
}

/** Gives a new subscription time to reach the server before points are posted. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300))

describe('telemetry.live over WebSocket', () => {
  it("delivers a committed point to its organization's subscribers and never to another's", async () => {
    const mine = subscribe(server.url, alpha.accessToken)
    const theirs = subscribe(server.url, beta.accessToken)
    const prying = subscribe(server.url, beta.accessToken, { vehicleIds: [alpha.vehicleIds[0]!] })
    await settle()
    await post(alpha, 0)
    await waitUntil(() => mine.vehicleIds().has(alpha.vehicleIds[0]!), { timeoutMs: 3000 })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(theirs.frames).toEqual([])
    expect(prying.frames).toEqual([])
  })

  it('sends a point only after it is committed', async () => {
    const subscriber = subscribe(server.url, alpha.accessToken, {
      vehicleIds: [alpha.vehicleIds[1]!],
    })
    await settle()
    await post(alpha, 1)
    await waitUntil(() => subscriber.frames.length > 0, { timeoutMs: 3000 })
    const point = subscriber.frames[0]!.frame.points[0]!
    const rows = await server.db.db
      .select()
      .from(telemetry)
      .where(eq(telemetry.deviceId, point.deviceId))
    expect(rows.map((r) => r.time.getTime())).toContain(point.time)
  })

  it('sends the same points in the compact format, in at most 60 bytes per vehicle update', async () => {
    const fleet = await provisionFleet(server.url, { vehicles: 60 })
    const plain = subscribe(server.url, fleet.accessToken)
    const compact = subscribe(server.url, fleet.accessToken, { format: 'compact' })
    await settle()
    const body = fleet.deviceIds.map((deviceId, i) => ({
      device_id: deviceId,
      time: Date.now() - 1000 + i,
      lat: 48.137154 + i / 1e4,
      lon: 11.576124,
      speed: 40 + i / 10,
      heading: (i * 7) % 360,
      rpm: 2000 + i,
      fuel: 55.5,
      coolant_temp: 88.5,
      engine_load: 40.1,
      odometer: 123_456.7 + i,
      ignition: true,
      status: i % 2 === 0 ? 'moving, "fast"' : '<b>idle</b>',
    }))
    const answer = await postTelemetry(server.url, { token: fleet.token.secret, body })
    expect(answer.status).toBe(200)
    const count = (s: typeof plain) => s.frames.flatMap((f) => f.frame.points).length
    await waitUntil(() => count(plain) >= body.length && count(compact) >= body.length, {
      timeoutMs: 5000,
    })
    const byVehicle = (s: typeof plain) =>
      new Map(s.frames.flatMap((f) => f.frame.points).map((p) => [p.vehicleId, p]))
    const expected = byVehicle(plain)
    const got = byVehicle(compact)
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort())
    for (const [vehicleId, point] of got) {
      const want = expected.get(vehicleId)!
      expect(point).toMatchObject({
        deviceId: want.deviceId,
        time: want.time,
        status: want.status,
        ignition: want.ignition,
        rpm: want.rpm,
      })
      expect(point.lat).toBeCloseTo(want.lat!, 6)
      expect(point.speed).toBeCloseTo(want.speed!, 1)
      expect(point.odometer).toBeCloseTo(want.odometer!, 1)
    }
    // Everything the socket received (the subscription's answers, the keys, the frames) per update.
    expect(compact.received.bytes / body.length).toBeLessThanOrEqual(150)
    expect(plain.received.bytes / compact.received.bytes).toBeGreaterThan(2)
    // Later updates of the same vehicles carry no keys: the steady state.
    const before = compact.received.bytes
    const again = body.map((p) => ({ ...p, time: p.time + 500 }))
    expect(
      (await postTelemetry(server.url, { token: fleet.token.secret, body: again })).status,
    ).toBe(200)
    await waitUntil(() => count(compact) >= body.length * 2, { timeoutMs: 5000 })
    expect((compact.received.bytes - before) / body.length).toBeLessThanOrEqual(60)
  })

  it('fails with UNAUTHORIZED and sends nothing without a token', async () => {
    const anonymous = subscribe(server.url, null)
    await waitUntil(() => anonymous.errors.length > 0, { timeoutMs: 3000 })
    expect(anonymous.errors[0]?.code).toBe('UNAUTHORIZED')
    await post(alpha, 0)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(anonymous.frames).toEqual([])
  })

  it('resumes from lastEventId after a reconnect and gets what it missed', async () => {
    const first = subscribe(server.url, alpha.accessToken)
    await settle()
    await post(alpha, 0)
    await waitUntil(() => first.frames.length > 0, { timeoutMs: 3000 })
    const lastEventId = first.frames.at(-1)!.id
    await first.close()
    await post(alpha, 1) // while disconnected
    const again = subscribe(server.url, alpha.accessToken, { lastEventId })
    await waitUntil(() => again.vehicleIds().has(alpha.vehicleIds[1]!), { timeoutMs: 3000 })
  })

  it('closes the socket when the access token it was opened with expires', async () => {
    const me = await alpha.api.auth.me.query()
    const jwt = createJwtService({ secret: TEST_JWT_SECRET, accessTtlSec: 1 })
    const { token } = await jwt.signAccessToken({ sub: me.id, org: me.orgId, role: me.role })
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/trpc?connectionParams=1`)
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)))
    await new Promise((resolve) => socket.once('open', resolve))
    socket.send(JSON.stringify({ method: 'connectionParams', data: { token } }))
    socket.send(
      JSON.stringify({
        id: 1,
        method: 'subscription',
        params: { path: 'telemetry.live', input: { json: {} } },
      }),
    )
    expect(await closed).toBe(4001)
  })

  it('closes a socket that sends a message over the size limit', async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/trpc`)
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)))
    socket.on('error', () => {})
    await new Promise((resolve) => socket.once('open', resolve))
    socket.send('x'.repeat(200 * 1024))
    expect(await closed).toBe(1009)
  })
})
