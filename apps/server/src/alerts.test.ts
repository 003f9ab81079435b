import { type Fleet, postTelemetry, provisionFleet, subscribeAlerts } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { waitUntil } from './testing/wait.ts'

let server: RunningServer
let fleet: Fleet
let other: Fleet
const open: { close(): Promise<void> }[] = []
// Whole seconds an hour ago: the points are recent but surely before "now".
const T0 = Math.floor((Date.now() - 3_600_000) / 1000) * 1000

beforeAll(async () => {
  server = await startTestServer({
    INGEST_RATE_LIMIT: '0',
    ALERTS_RULE_CACHE_SEC: '0',
    WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true',
  })
  fleet = await provisionFleet(server.url)
  other = await provisionFleet(server.url)
})
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()))
  await server?.close()
})

function point(fleetOf: Fleet, offsetSec: number, speed: number) {
  return {
    device_id: fleetOf.deviceIds[0],
    time: new Date(T0 + offsetSec * 1000).toISOString(),
    lat: 52.5 + offsetSec / 1e4,
    lon: 13.4,
    speed,
    ignition: true,
  }
}

async function post(fleetOf: Fleet, points: Record<string, unknown>[]) {
  const answer = await postTelemetry(server.url, { token: fleetOf.token.secret, body: points })
  expect(answer.status).toBe(200)
}

async function listAlerts(fleetOf: Fleet) {
  const page = await fleetOf.api.alerts.list.query({ order: 'asc', limit: 100 })
  return page.items
}

describe('alerts from the committed telemetry stream', () => {
  it('raises an overspeed alert, shows it in alerts.list and on alerts.live, and reconciles a late point', async () => {
    const rule = await fleet.api.rules.create.mutate({
      kind: 'overspeed',
      threshold: 80,
      durationSec: 0,
    })
    const mine = subscribeAlerts(server.url, fleet.accessToken)
    const theirs = subscribeAlerts(server.url, other.accessToken)
    open.push(mine, theirs)
    await new Promise((resolve) => setTimeout(resolve, 300))

    // 90 km/h for 10 s, then 50 km/h: one closed episode starting at T0.
    const fast = Array.from({ length: 11 }, (_, i) => point(fleet, i, 90))
    await post(fleet, [...fast, point(fleet, 20, 50)])
    const firstKey = `${rule.id}:${fleet.vehicleIds[0]}:${T0}`
    await waitUntil(async () => (await listAlerts(fleet)).some((a) => a.endTime !== null), {
      timeoutMs: 10_000,
      what: 'the closed overspeed alert',
    })
    const [stored] = await listAlerts(fleet)
    expect(stored).toMatchObject({ key: firstKey, kind: 'overspeed', ruleId: rule.id })
    expect(stored!.time.getTime()).toBe(T0)
    expect(stored!.value).toBe(90)
    await waitUntil(() => mine.alerts.some((a) => a.alert.key === firstKey && a.alert.endTime), {
      timeoutMs: 5000,
      what: 'the alert on alerts.live',
    })
    expect(mine.alerts[0]!.alert).toMatchObject({ key: firstKey, vehicleId: fleet.vehicleIds[0] })

    // A late point at T0+5.5s under the threshold ends the first episode there; a second one follows.
    await post(fleet, [point(fleet, 5.5, 50)])
    await waitUntil(async () => (await listAlerts(fleet)).length === 2, {
      timeoutMs: 10_000,
      what: 'the reconciled alerts',
    })
    const [first, second] = await listAlerts(fleet)
    expect(first!.key).toBe(firstKey)
    expect(first!.endTime!.getTime()).toBeLessThanOrEqual(T0 + 5500)
    expect(second!.time.getTime()).toBe(T0 + 6000)
    expect(second!.endTime).not.toBeNull()
    await waitUntil(() => mine.alerts.some((a) => a.alert.time === T0 + 6000), {
      timeoutMs: 5000,
      what: 'the second alert on alerts.live',
    })
    expect(theirs.alerts).toEqual([])
    expect(await listAlerts(other)).toEqual([])
    expect(mine.errors).toEqual([])
  })

  it('withdraws an alert a late point disproves: a retraction on alerts.live and to webhooks', async () => {
    const fleetR = await provisionFleet(server.url)
    const rule = await fleetR.api.rules.create.mutate({
      kind: 'overspeed',
      threshold: 80,
      durationSec: 8,
    })
    // Nothing listens on port 9: the deliveries stay queued, which is all this test reads.
    const hook = await fleetR.api.webhooks.create.mutate({ url: 'http://127.0.0.1:9/hook' })
    const mine = subscribeAlerts(server.url, fleetR.accessToken)
    open.push(mine)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const base = 1000
    // 90 km/h for 10 s, then 50: one 10-second episode, over the 8-second minimum.
    const fast = Array.from({ length: 11 }, (_, i) => point(fleetR, base + i, 90))
    await post(fleetR, [...fast, point(fleetR, base + 20, 50)])
    const key = `${rule.id}:${fleetR.vehicleIds[0]}:${T0 + base * 1000}`
    await waitUntil(async () => (await listAlerts(fleetR)).some((a) => a.key === key), {
      timeoutMs: 10_000,
      what: 'the overspeed alert',
    })
    // A late point at +5.5 s under the threshold splits it into two 5-second episodes: neither
    // lasted 8 s, so the alert never happened.
    await post(fleetR, [point(fleetR, base + 5.5, 50)])
    await waitUntil(async () => (await listAlerts(fleetR)).length === 0, {
      timeoutMs: 10_000,
      what: 'the alert withdrawn',
    })
    await waitUntil(() => mine.alerts.some((a) => a.alert.key === key && a.alert.isRetracted), {
      timeoutMs: 5000,
      what: 'the retraction on alerts.live',
    })
    expect(mine.alerts.find((a) => a.alert.key === key)!.alert.isRetracted).toBe(false)
    const deliveries = await fleetR.api.webhooks.deliveries.query({ id: hook.id, limit: 10 })
    const events = deliveries.map((d) => [d.alertKey, (d.event as { type: string }).type]).sort()
    expect(events).toEqual([
      [key, 'alert'],
      [key, 'alert.retracted'],
    ])
    expect(mine.errors).toEqual([])
  })

  it('raises nothing for an organization without rules', async () => {
    await post(other, [point(other, 100, 150), point(other, 101, 150)])
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await listAlerts(other)).toEqual([])
  })
})
