import { type Fleet, postTelemetry, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { waitUntil } from './testing/wait.ts'

let server: RunningServer
let fleet: Fleet
// Whole minutes an hour ago: recent, and surely before "now".
const T0 = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000

beforeAll(async () => {
  server = await startTestServer({ INGEST_RATE_LIMIT: '0', MAINTENANCE_CHECK_SEC: '1' })
  fleet = await provisionFleet(server.url, { vehicles: 2 })
})
afterAll(() => server?.close())

/** Ten minutes of driving, a point a minute, the odometer from `fromKm` on, engine on. */
function drive(index: number, fromKm: number) {
  return Array.from({ length: 11 }, (_, i) => ({
    device_id: fleet.deviceIds[index],
    time: new Date(T0 + i * 60_000).toISOString(),
    lat: 52.5 + i * 0.01,
    lon: 13.4,
    speed: 60,
    ignition: true,
    odometer: fromKm + i,
  }))
}

async function readings(index: number) {
  const { items } = await fleet.api.maintenance.readings.query()
  return items.find((r) => r.vehicleId === fleet.vehicleIds[index])
}

async function dueAlerts() {
  const { items } = await fleet.api.alerts.list.query({ kind: 'maintenance_due', limit: 100 })
  return items
}

describe('maintenance from the committed stream', () => {
  it('counts odometer and engine hours, and raises maintenance_due once per threshold', async () => {
    await fleet.api.vehicles.update.mutate({ id: fleet.vehicleIds[0]!, engineHoursOffset: 1000 })
    const answer = await postTelemetry(server.url, {
      token: fleet.token.secret,
      body: drive(0, 9_990),
    })
    expect(answer.status).toBe(200)
    await waitUntil(async () => (await readings(0))?.odometerKm === 10_000, {
      timeoutMs: 15_000,
      what: 'the odometer',
    })
    // Ten minutes with the engine on, on top of the 1000 h the vehicle had before tracking.
    expect((await readings(0))?.engineHours).toBeCloseTo(1000 + 10 / 60, 2)

    const schedule = await fleet.api.maintenance.create.mutate({
      name: 'Oil <script>',
      vehicleId: fleet.vehicleIds[0]!,
      everyKm: 10_000,
      warnKm: 500,
    })
    await waitUntil(async () => (await dueAlerts()).length === 1, {
      timeoutMs: 15_000,
      what: 'alert',
    })
    // Several more checks run: still one alert for this threshold.
    await new Promise((resolve) => setTimeout(resolve, 2500))
    const [alert] = await dueAlerts()
    expect(await dueAlerts()).toHaveLength(1)
    expect(alert).toMatchObject({ vehicleId: fleet.vehicleIds[0], kind: 'maintenance_due' })
    expect(alert?.message).toContain('Oil <script> overdue')

    // The service restarts the interval: nothing is due, and no alert follows.
    await fleet.api.maintenance.complete.mutate({
      vehicleId: fleet.vehicleIds[0]!,
      scheduleId: schedule.id,
    })
    const list = await fleet.api.maintenance.list.query({ vehicleId: fleet.vehicleIds[0]! })
    expect(list.items[0]?.vehicles[0]).toMatchObject({ status: 'ok', dueKm: 20_000 })
    await new Promise((resolve) => setTimeout(resolve, 2500))
    expect(await dueAlerts()).toHaveLength(1)
  })

  it('counts the distance driven for a vehicle whose device reports no odometer', async () => {
    const points = drive(1, 0).map(({ odometer: _, ...point }) => point)
    await postTelemetry(server.url, { token: fleet.token.secret, body: points })
    await waitUntil(async () => ((await readings(1))?.odometerKm ?? 0) > 0, {
      timeoutMs: 15_000,
      what: 'the distance',
    })
    // Ten legs of 0.01° of latitude: about 11.1 km.
    expect((await readings(1))?.odometerKm).toBeCloseTo(11.1, 0)
  })
})
