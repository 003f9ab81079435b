import { eq } from '@fms/db'
import { telemetry } from '@fms/db/schema'
import { type Fleet, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'

const IMEI = '865123045678901'
let server: RunningServer
let fleet: Fleet
let other: Fleet

beforeAll(async () => {
  server = await startTestServer({ DEVICE_TOKEN_CACHE_SEC: '0', INGEST_RATE_LIMIT: '0' })
  fleet = await provisionFleet(server.url, { vehicles: 1 })
  other = await provisionFleet(server.url, { vehicles: 1 })
  await fleet.api.devices.update.mutate({ id: fleet.deviceIds[0]!, externalId: IMEI })
})
afterAll(() => server?.close())

function osmandUrl(token: string, query = ''): string {
  return `${server.url}/osmand/${encodeURIComponent(token)}${query ? `?${query}` : ''}`
}

async function send(url: string, init?: RequestInit) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) })
  return { status: res.status, text: await res.text() }
}

async function stored() {
  return server.db.db.select().from(telemetry).where(eq(telemetry.deviceId, fleet.deviceIds[0]!))
}

let second = Math.floor(Date.now() / 1000) - 3600
const nextSecond = () => ++second

describe('OsmAnd protocol on /osmand/<token>', () => {
  it('stores a query-string GET and answers 200 with an empty body', async () => {
    const t = nextSecond()
    const answer = await send(
      osmandUrl(fleet.token.secret, `id=${IMEI}&timestamp=${t}&lat=52.5&lon=13.4&speed=10`),
    )
    expect(answer).toEqual({ status: 200, text: '' })
    const row = (await stored()).find((r) => r.time.getTime() === t * 1000)
    expect(row).toMatchObject({
      lat: 52.5,
      lon: 13.4,
      speed: 18.52,
      vehicleId: fleet.vehicleIds[0],
    })
  })

  it('stores a form POST', async () => {
    const t = nextSecond()
    const answer = await send(osmandUrl(fleet.token.secret), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `deviceid=${IMEI}&timestamp=${t}&location=52.6,13.5&batt=55`,
    })
    expect(answer.status).toBe(200)
    const row = (await stored()).find((r) => r.time.getTime() === t * 1000)
    expect(row?.attributes).toEqual({ batt: 55 })
  })

  it('stores the JSON of newer clients', async () => {
    const t = nextSecond()
    const answer = await send(osmandUrl(fleet.token.secret), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        device_id: IMEI,
        location: {
          timestamp: new Date(t * 1000).toISOString(),
          coords: { latitude: 1, longitude: 2, speed: 5 },
        },
      }),
    })
    expect(answer.status).toBe(200)
    expect((await stored()).find((r) => r.time.getTime() === t * 1000)?.speed).toBe(18)
  })

  it('answers a re-sent point with 200 and stores it once', async () => {
    const t = nextSecond()
    const url = osmandUrl(fleet.token.secret, `id=${IMEI}&timestamp=${t}&lat=1&lon=1`)
    expect((await send(url)).status).toBe(200)
    expect((await send(url)).status).toBe(200)
    expect((await stored()).filter((r) => r.time.getTime() === t * 1000)).toHaveLength(1)
  })

  it('answers 401 alike for a bad token, another org token, and an id the token does not serve', async () => {
    const query = `id=${IMEI}&timestamp=${nextSecond()}&lat=1&lon=1`
    const answers = await Promise.all([
      send(osmandUrl('fmd_AAAAAAAA_wrong', query)),
      send(osmandUrl(other.token.secret, query)),
      send(osmandUrl(fleet.token.secret, `id=unknown-imei&lat=1&lon=1`)),
      send(`${server.url}/osmand/?${query}`),
    ])
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401])
    expect(new Set(answers.map((a) => a.text)).size).toBe(1)
  })

  it('answers 400 to an unreadable or out-of-range point and stores nothing', async () => {
    const before = (await stored()).length
    const bad = await Promise.all([
      send(osmandUrl(fleet.token.secret, `id=${IMEI}&lat=91&lon=1`)),
      send(osmandUrl(fleet.token.secret, `id=${IMEI}&timestamp=soon&lat=1&lon=1`)),
      send(osmandUrl(fleet.token.secret, `lat=1&lon=1`)),
    ])
    expect(bad.map((a) => a.status)).toEqual([400, 400, 400])
    expect((await stored()).length).toBe(before)
  })
})
