import { createApiClient } from '@fms/device-sim'
import { makePoints, postPoints, type SpawnedServer, spawnServer } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_DEPOT, DEMO_RULES, ensureDemoAccount, seedDemoRules } from './seed.ts'

let server: SpawnedServer

beforeAll(async () => {
  server = await spawnServer({ env: { ALERTS_RULE_CACHE_SEC: '0' } })
})

afterAll(() => server?.stop())

describe('the demo organization', () => {
  it('is registered on the first run and signed in on the next', async () => {
    const registered = await ensureDemoAccount(server.url)
    const signedIn = await ensureDemoAccount(server.url)
    for (const token of [registered, signedIn]) {
      const me = await createApiClient(server.url, token).auth.me.query()
      expect(me.email).toBe('demo@example.com')
    }
    const { items } = await createApiClient(server.url, signedIn).users.list.query()
    expect(items).toHaveLength(1)
  })

  it('starts with the demo rules and the depot geofence, once', async () => {
    const api = createApiClient(server.url, await ensureDemoAccount(server.url))
    expect(await seedDemoRules(api)).toBe(DEMO_RULES.length + 1)
    expect(await seedDemoRules(api)).toBe(0)

    const rules = (await api.rules.list.query({ limit: 100 })).items
    const geofences = (await api.geofences.list.query()).items
    expect(geofences.map((g) => g.name)).toEqual([DEMO_DEPOT.name])
    expect(rules.map((r) => r.kind).sort()).toEqual(
      [...DEMO_RULES.map((r) => r.kind), 'geofence_enter'].sort(),
    )
    expect(rules.find((r) => r.kind === 'geofence_enter')?.geofenceId).toBe(geofences[0]?.id)
  })

  it('raises an alert when a vehicle races, so the alerts page is not empty', async () => {
    const api = createApiClient(server.url, await ensureDemoAccount(server.url))
    const vehicle = await api.vehicles.create.mutate({ code: 'RACER', vin: 'WDB12345678901234' })
    const token = await api.tokens.create.mutate({ title: 'racer' })
    const device = await api.devices.create.mutate({ vehicleId: vehicle.id, tokenId: token.id })
    const start = Date.now() - 120_000
    // Half a minute at 115 km/h, one point a second, then back to town speed.
    const points = makePoints(device.id, 40).map((point, i) => ({
      ...point,
      time: new Date(start + i * 1000).toISOString(),
      speed: i < 30 ? 115 : 40,
    }))
    expect(await postPoints(server.url, token.secret, points)).toBe(200)

    await expect
      .poll(async () => (await api.alerts.list.query()).items.map((a) => a.kind), {
        timeout: 15_000,
      })
      .toContain('overspeed')
  })
})
