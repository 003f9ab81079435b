import { randomUUID } from 'node:crypto'
import { insertTelemetry } from '@fms/db/queries/activity'
import { upsertAlerts } from '@fms/db/queries/alerts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OVERVIEW_MAX_TOP_VEHICLES } from '../schemas/reports.ts'
import { createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi
let org: Awaited<ReturnType<TestApi['registerOrg']>>
let other: Awaited<ReturnType<TestApi['registerOrg']>>
const ids: Record<string, string> = {}
const DAY = '2026-11-02'
const START = Date.UTC(2026, 10, 2, 8)
const STEP_MS = 10_000

/** Standing 2 min, `drivingMinutes` at 60 km/h due north, standing 10 min (one trip), from `start`. */
function drive(drivingMinutes: number, start = START) {
  const moving = (drivingMinutes * 60_000) / STEP_MS
  const points: { time: Date; lat: number; lon: number; speed: number; ignition: boolean }[] = []
  let lat = 52
  for (let i = 0; i < 12 + moving + 60; i++) {
    const isMoving = i >= 12 && i < 12 + moving
    if (isMoving) lat += (60 / 3600 / 111.2) * (STEP_MS / 1000)
    points.push({
      time: new Date(start + i * STEP_MS),
      lat,
      lon: 13,
      speed: isMoving ? 60 : 0,
      ignition: true,
    })
  }
  return points
}

async function addVehicle(
  owner: typeof org,
  code: string,
  points: ReturnType<typeof drive>,
): Promise<string> {
  const vehicle = await owner.caller.vehicles.create({ code, vin: makeVin() })
  ids[code] = vehicle.id
  const deviceId = randomUUID()
  const orgId = owner.session.user.orgId
  await insertTelemetry(
    api.deps.db,
    points.map((p) => ({ ...p, orgId, deviceId, vehicleId: vehicle.id })),
  )
  return vehicle.id
}

function alert(owner: typeof org, vehicleId: string, kind: 'overspeed' | 'idle', time: number) {
  return {
    orgId: owner.session.user.orgId,
    vehicleId,
    ruleId: null,
    kind,
    key: `${kind}:${vehicleId}:${time}`,
    time: new Date(time),
    endTime: null,
    emittedAt: new Date(time),
    value: null,
    message: kind,
  }
}

beforeAll(async () => {
  api = await createTestApi()
  org = await api.registerOrg()
  other = await api.registerOrg()
  const far = await addVehicle(org, 'FAR', drive(30))
  const near = await addVehicle(org, 'NEAR', drive(10))
  // Reports all day long without moving.
  await addVehicle(
    org,
    'PARKED',
    drive(0).map((p) => ({ ...p, speed: 0 })),
  )
  // Drives the next day only.
  await addVehicle(org, 'TOMORROW', drive(20, START + 86_400_000))
  await org.caller.vehicles.create({ code: 'SILENT', vin: makeVin() })
  const theirs = await addVehicle(other, 'THEIRS', drive(60))
  await upsertAlerts(api.deps.db, [
    alert(org, far, 'overspeed', START + 300_000),
    alert(org, far, 'overspeed', START + 600_000),
    alert(org, near, 'idle', START + 900_000),
    // The next day, and another organization's: not this day's.
    alert(org, near, 'idle', START + 86_400_000),
    alert(other, theirs, 'overspeed', START),
  ])
})
afterAll(() => api?.close())

describe('fleet.overview', () => {
  it('sums the day over the organization’s vehicles, as the daily report does', async () => {
    const overview = await org.caller.fleet.overview({ day: DAY })
    const report = await org.caller.reports.daily({ from: DAY, to: DAY })
    const [day] = report.dayTotals
    expect(overview.isUpToDate).toBe(true)
    expect(overview.distanceKm).toBeGreaterThan(39)
    expect(overview.distanceKm).toBeLessThan(41)
    expect(overview.distanceKm).toBeCloseTo(day!.distanceKm, 3)
    expect(overview.drivingSec).toBeCloseTo(day!.drivingSec, 1)
    expect(overview.idleSec).toBeCloseTo(day!.idleSec, 1)
    expect(overview.tripCount).toBe(2)
    expect(overview.tripCount).toBe(day!.tripCount)
    // FAR, NEAR and PARKED reported; TOMORROW and SILENT did not.
    expect(overview.reportingVehicleCount).toBe(3)
    expect(overview.start).toEqual(new Date(Date.UTC(2026, 10, 2)))
    expect(overview.end).toEqual(new Date(Date.UTC(2026, 10, 3)))
  })

  it('counts the alerts that started on the day, by kind', async () => {
    const overview = await org.caller.fleet.overview({ day: DAY })
    expect(overview.alertCount).toBe(3)
    expect(overview.alertCounts.overspeed).toBe(2)
    expect(overview.alertCounts.idle).toBe(1)
    const report = await org.caller.reports.daily({ from: DAY, to: DAY })
    const reported = Object.values(report.dayTotals[0]!.alertCounts).reduce((a, b) => a + b, 0)
    expect(overview.alertCount).toBe(reported)
  })

  it('ranks the vehicles that moved by distance, farthest first, at most topCount', async () => {
    const overview = await org.caller.fleet.overview({ day: DAY, topCount: 5 })
    expect(overview.topVehicles.map((v) => v.vehicleCode)).toEqual(['FAR', 'NEAR'])
    const [far, near] = overview.topVehicles
    expect(far!.vehicleId).toBe(ids.FAR)
    expect(far!.distanceKm).toBeGreaterThan(29)
    expect(far!.distanceKm).toBeLessThan(31)
    expect(near!.distanceKm).toBeGreaterThan(9)
    expect(near!.distanceKm).toBeLessThan(11)
    expect(far!.drivingSec).toBeGreaterThan(near!.drivingSec)
    expect(far!.maxSpeed).toBe(60)
    const one = await org.caller.fleet.overview({ day: DAY, topCount: 1 })
    expect(one.topVehicles.map((v) => v.vehicleCode)).toEqual(['FAR'])
    const none = await org.caller.fleet.overview({ day: DAY, topCount: 0 })
    expect(none.topVehicles).toEqual([])
  })

  it('reads the day in the time zone asked for', async () => {
    // 08:00 UTC on Nov 2 is 22:00 on Nov 1 in Honolulu: that day holds the trips, Nov 2 none.
    const honolulu = await org.caller.fleet.overview({
      day: '2026-11-01',
      timeZone: 'Pacific/Honolulu',
    })
    expect(honolulu.tripCount).toBe(2)
    expect(honolulu.alertCount).toBe(3)
    expect(honolulu.start).toEqual(new Date(Date.UTC(2026, 10, 1, 10)))
    const nextDay = await org.caller.fleet.overview({ day: DAY, timeZone: 'Pacific/Honolulu' })
    expect(nextDay.topVehicles.map((v) => v.vehicleCode)).toEqual(['TOMORROW'])
  })

  it('shows each organization only its own vehicles and alerts', async () => {
    const theirs = await other.caller.fleet.overview({ day: DAY })
    expect(theirs.topVehicles.map((v) => v.vehicleCode)).toEqual(['THEIRS'])
    expect(theirs.distanceKm).toBeGreaterThan(59)
    expect(theirs.alertCount).toBe(1)
    expect(theirs.reportingVehicleCount).toBe(1)
    const fresh = await api.registerOrg()
    const empty = await fresh.caller.fleet.overview({ day: DAY })
    expect(empty).toMatchObject({
      distanceKm: 0,
      drivingSec: 0,
      tripCount: 0,
      alertCount: 0,
      reportingVehicleCount: 0,
      topVehicles: [],
    })
  })

  it('is open to every member of the organization, not only admins', async () => {
    const member = await api.addUser(org.caller, 'user')
    const overview = await member.caller.fleet.overview({ day: DAY })
    expect(overview.topVehicles.map((v) => v.vehicleCode)).toEqual(['FAR', 'NEAR'])
  })

  it('leaves out a removed vehicle, as the daily report does', async () => {
    const own = await api.registerOrg()
    const gone = await addVehicle(own, 'GONE', drive(15))
    await upsertAlerts(api.deps.db, [alert(own, gone, 'overspeed', START + 300_000)])
    const before = await own.caller.fleet.overview({ day: DAY })
    expect(before.topVehicles.map((v) => v.vehicleCode)).toEqual(['GONE'])
    expect(before.alertCount).toBe(1)
    await own.caller.vehicles.remove({ id: gone })
    const after = await own.caller.fleet.overview({ day: DAY })
    expect(after).toMatchObject({ distanceKm: 0, alertCount: 0, topVehicles: [] })
  })

  it('validates the day, the zone and the number of vehicles ranked', async () => {
    const bad = [
      { day: '2026-02-30' },
      { day: '2 Nov 2026' },
      { day: DAY, timeZone: 'Mars/Olympus' },
      { day: DAY, topCount: OVERVIEW_MAX_TOP_VEHICLES + 1 },
      { day: DAY, topCount: -1 },
      { day: DAY, topCount: 1.5 },
    ]
    for (const input of bad) {
      await expectTRPCError(org.caller.fleet.overview(input), 'BAD_REQUEST')
    }
  })

  it('refuses anonymous callers', async () => {
    await expectTRPCError(api.anonymous().fleet.overview({ day: DAY }), 'UNAUTHORIZED')
  })
})
