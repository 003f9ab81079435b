import { randomUUID } from 'node:crypto'
import { insertTelemetry } from '@fms/db/queries/activity'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi
let org: Awaited<ReturnType<TestApi['registerOrg']>>
const ids: Record<string, string> = {}
const MINUTE = 60_000

/** One vehicle with points at `minutesAgo` offsets (speed, fuel). */
async function addVehicle(
  code: string,
  points: { minutesAgo: number; speed: number; fuel: number }[],
) {
  const vehicle = await org.caller.vehicles.create({ code, vin: makeVin() })
  ids[code] = vehicle.id
  const deviceId = randomUUID()
  await insertTelemetry(
    api.deps.db,
    points.map((p) => ({
      time: new Date(Date.now() - p.minutesAgo * MINUTE),
      orgId: org.session.user.orgId,
      deviceId,
      vehicleId: vehicle.id,
      lat: 52.5,
      lon: 13.4,
      speed: p.speed,
      fuel: p.fuel,
    })),
  )
}

beforeAll(async () => {
  api = await createTestApi()
  org = await api.registerOrg()
  // Parked for two hours with a low tank.
  await addVehicle('PARKED', [
    { minutesAgo: 130, speed: 40, fuel: 9 },
    { minutesAgo: 120, speed: 0, fuel: 8 },
    { minutesAgo: 1, speed: 0, fuel: 8 },
  ])
  // Driving now with a full tank.
  await addVehicle('DRIVING', [
    { minutesAgo: 5, speed: 50, fuel: 90 },
    { minutesAgo: 1, speed: 60, fuel: 89 },
  ])
  // Five hours at the wheel with a ten-minute stop, then parked.
  await addVehicle('HAULER', [
    ...Array.from({ length: 150 }, (_, i) => ({ minutesAgo: 320 - i, speed: 70, fuel: 80 })),
    ...Array.from({ length: 10 }, (_, i) => ({ minutesAgo: 170 - i, speed: 0, fuel: 70 })),
    ...Array.from({ length: 150 }, (_, i) => ({ minutesAgo: 160 - i, speed: 70, fuel: 60 })),
    { minutesAgo: 9, speed: 0, fuel: 50 },
  ])
  // Stopped five minutes ago at a light.
  await addVehicle('LIGHT', [
    { minutesAgo: 6, speed: 30, fuel: 14 },
    { minutesAgo: 5, speed: 0, fuel: 14 },
  ])
})
afterAll(() => api?.close())

describe('fleet questions', () => {
  it('lists vehicles low on fuel, lowest first', async () => {
    const low = await org.caller.reports.lowFuel({ threshold: 15 })
    expect(low.map((v) => v.code)).toEqual(['PARKED', 'LIGHT'])
  })

  it('lists vehicles standing still for at least the given time', async () => {
    const parked = await org.caller.reports.stationary({ minMinutes: 60 })
    expect(parked.map((v) => v.code)).toEqual(['PARKED'])
    expect(parked[0]?.lastMovedAt?.getTime()).toBeLessThan(Date.now() - 125 * MINUTE)
    const briefly = await org.caller.reports.stationary({ minMinutes: 2 })
    expect(briefly.map((v) => v.code).sort()).toEqual(['HAULER', 'LIGHT', 'PARKED'])
  })

  it('finds driving sessions of at least four hours without a 20-minute break', async () => {
    const sessions = await org.caller.reports.longDriving({ minHours: 4, withinHours: 12 })
    expect(sessions.map((s) => s.code)).toEqual(['HAULER'])
    expect(sessions[0]!.end.getTime() - sessions[0]!.start.getTime()).toBeGreaterThan(
      4.5 * 3_600_000,
    )
    expect(await org.caller.reports.longDriving({ minHours: 6, withinHours: 12 })).toEqual([])
  })

  it("never includes another organization's vehicles", async () => {
    const other = await api.registerOrg()
    expect(await other.caller.reports.lowFuel({})).toEqual([])
    expect(await other.caller.reports.stationary({ minMinutes: 1 })).toEqual([])
  })

  it('answers BAD_REQUEST to a threshold out of range', async () => {
    await expectTRPCError(org.caller.reports.lowFuel({ threshold: 0 }), 'BAD_REQUEST')
  })
})
