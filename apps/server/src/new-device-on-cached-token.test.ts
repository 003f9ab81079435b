import { type Fleet, makePoints, postTelemetry, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'

// Found with the simulator: a device linked to a token whose record was cached was refused for
// up to DEVICE_TOKEN_CACHE_SEC. A request naming an unknown device now re-reads the token (at
// most once a second).
let server: RunningServer
let fleet: Fleet

beforeAll(async () => {
  server = await startTestServer({ DEVICE_TOKEN_CACHE_SEC: '60', INGEST_RATE_LIMIT: '0' })
  fleet = await provisionFleet(server.url, { vehicles: 1 })
})
afterAll(() => server?.close())

describe('a device linked to a token that is already cached', () => {
  it('is accepted at once over HTTP and OsmAnd', async () => {
    const warm = await postTelemetry(server.url, {
      token: fleet.token.secret,
      body: makePoints(fleet.deviceIds[0], 1),
    })
    expect(warm.status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const vehicle = await fleet.api.vehicles.create.mutate({
      code: 'NEW-1',
      vin: '1HGCM82633A004999',
    })
    const device = await fleet.api.devices.create.mutate({
      vehicleId: vehicle.id,
      tokenId: fleet.token.id,
      externalId: 'imei-new-1',
    })
    const answer = await postTelemetry(server.url, {
      token: fleet.token.secret,
      body: makePoints(device.id, 1),
    })
    expect(answer).toMatchObject({ status: 200, body: { accepted: 1 } })
    const osmand = await fetch(
      `${server.url}/osmand/${encodeURIComponent(fleet.token.secret)}?id=imei-new-1&lat=1&lon=2`,
    )
    expect(osmand.status).toBe(200)
  })
})
