import { randomUUID } from 'node:crypto'
import { insertTelemetry } from '@fms/db/queries/activity'
import { upsertAlerts } from '@fms/db/queries/alerts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Caller, createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi
let admin: Caller
let member: Caller
let outsider: Caller
let orgId: string
let counter = 0

const H = 3_600_000
/** Whole hours in the past, so assignments are never in the future. */
const BASE = Math.floor(Date.now() / H) * H - 30 * 24 * H

beforeAll(async () => {
  api = await createTestApi()
  const org = await api.registerOrg()
  admin = org.caller
  orgId = org.session.user.orgId
  member = (await api.addUser(admin, 'user')).caller
  outsider = (await api.registerOrg()).caller
})
afterAll(() => api?.close())

function newVehicle(caller = admin) {
  return caller.vehicles.create({ code: `D${++counter}`, vin: makeVin() })
}

function newDriver(fields: Record<string, unknown> = {}, caller = admin) {
  return caller.drivers.create({ name: `Driver ${++counter}`, ...fields })
}

describe('drivers', () => {
  it('creates, reads, lists, updates and removes a driver', async () => {
    const created = await newDriver({
      employeeNumber: 'E-17',
      phone: '+49 30 1234567',
      licenceNumber: 'B072RRE2I55',
      licenceExpiry: '2029-04-30',
      identifier: '04A1B2C3',
    })
    expect(created).toMatchObject({ orgId, employeeNumber: 'E-17', identifier: '04A1B2C3' })
    expect(await member.drivers.byId({ id: created.id })).toEqual(created)
    const listed = await member.drivers.list({ search: '04a1' })
    expect(listed.items.map((d) => d.id)).toEqual([created.id])
    const updated = await admin.drivers.update({ id: created.id, phone: null, name: 'Ana Lima' })
    expect(updated).toMatchObject({ name: 'Ana Lima', phone: null, identifier: '04A1B2C3' })
    await admin.drivers.remove({ id: created.id })
    await expectTRPCError(admin.drivers.byId({ id: created.id }), 'NOT_FOUND')
  })

  it('keeps identifiers and employee numbers unique per organization only', async () => {
    await newDriver({ identifier: 'CARD-UNIQ', employeeNumber: 'E-UNIQ' })
    const clash = await expectTRPCError(newDriver({ identifier: 'CARD-UNIQ' }), 'CONFLICT')
    expect(clash.message).toMatch(/identifier/)
    await expectTRPCError(newDriver({ employeeNumber: 'E-UNIQ' }), 'CONFLICT')
    // Another organization may use the same card numbers.
    await expect(newDriver({ identifier: 'CARD-UNIQ' }, outsider)).resolves.toBeTruthy()
  })

  it('refuses bad input with field errors and changes nothing', async () => {
    const before = (await admin.drivers.list({ limit: 100 })).items.length
    await expectTRPCError(admin.drivers.create({ name: '' }), 'BAD_REQUEST')
    await expectTRPCError(
      admin.drivers.create({ name: 'X', identifier: 'has space' }),
      'BAD_REQUEST',
    )
    await expectTRPCError(
      admin.drivers.create({ name: 'X', licenceExpiry: '2029-02-30' }),
      'BAD_REQUEST',
    )
    await expectTRPCError(
      admin.drivers.create({ name: 'X', identifier: 'A'.repeat(65) }),
      'BAD_REQUEST',
    )
    expect((await admin.drivers.list({ limit: 100 })).items.length).toBe(before)
  })

  it('lets users read but only admins change drivers, assignments and weights', async () => {
    const driver = await newDriver()
    const vehicle = await newVehicle()
    await expect(member.drivers.list()).resolves.toBeTruthy()
    await expectTRPCError(member.drivers.create({ name: 'Nope' }), 'FORBIDDEN')
    await expectTRPCError(member.drivers.update({ id: driver.id, name: 'Nope' }), 'FORBIDDEN')
    await expectTRPCError(member.drivers.remove({ id: driver.id }), 'FORBIDDEN')
    await expectTRPCError(
      member.drivers.assign({ driverId: driver.id, vehicleId: vehicle.id }),
      'FORBIDDEN',
    )
    await expectTRPCError(member.drivers.unassign({ vehicleId: vehicle.id }), 'FORBIDDEN')
    await expectTRPCError(member.drivers.updateScoreWeights({ idling: 1 }), 'FORBIDDEN')
    await expectTRPCError(api.anonymous().drivers.list(), 'UNAUTHORIZED')
  })

  it("never shows or touches another organization's drivers and vehicles", async () => {
    const driver = await newDriver()
    const vehicle = await newVehicle()
    const theirVehicle = await newVehicle(outsider)
    const theirDriver = await newDriver({}, outsider)
    await expectTRPCError(outsider.drivers.byId({ id: driver.id }), 'NOT_FOUND')
    await expectTRPCError(outsider.drivers.update({ id: driver.id, name: 'x' }), 'NOT_FOUND')
    await expectTRPCError(outsider.drivers.remove({ id: driver.id }), 'NOT_FOUND')
    await expectTRPCError(
      admin.drivers.assign({ driverId: driver.id, vehicleId: theirVehicle.id }),
      'NOT_FOUND',
    )
    await expectTRPCError(
      admin.drivers.assign({ driverId: theirDriver.id, vehicleId: vehicle.id }),
      'NOT_FOUND',
    )
    await expectTRPCError(outsider.drivers.unassign({ vehicleId: vehicle.id }), 'NOT_FOUND')
    await expectTRPCError(
      outsider.drivers.assignments({
        driverId: driver.id,
        from: new Date(BASE),
        to: new Date(),
      }),
      'NOT_FOUND',
    )
    const ids = (await outsider.drivers.list({ limit: 100 })).items.map((d) => d.id)
    expect(ids).not.toContain(driver.id)
  })
})

describe('assignments', () => {
  it('keeps one driver per vehicle at a time and the history of who drove when', async () => {
    const vehicle = await newVehicle()
    const anna = await newDriver()
    const ben = await newDriver()
    const first = await admin.drivers.assign({
      driverId: anna.id,
      vehicleId: vehicle.id,
      from: new Date(BASE),
    })
    expect(first).toMatchObject({ driverId: anna.id, vehicleId: vehicle.id, to: null })
    await admin.drivers.assign({
      driverId: ben.id,
      vehicleId: vehicle.id,
      from: new Date(BASE + 5 * H),
    })
    // Entered late: Ben also drove from 3 h to 4 h.
    await admin.drivers.assign({
      driverId: ben.id,
      vehicleId: vehicle.id,
      from: new Date(BASE + 3 * H),
    })
    await admin.drivers.assign({
      driverId: anna.id,
      vehicleId: vehicle.id,
      from: new Date(BASE + 4 * H),
    })
    const { items } = await member.drivers.assignments({
      vehicleId: vehicle.id,
      from: new Date(BASE),
      to: new Date(),
    })
    const timeline = items
      .map((a) => [a.from.getTime() - BASE, a.to && a.to.getTime() - BASE, a.driverName])
      .reverse()
    expect(timeline).toEqual([
      [0, 3 * H, anna.name],
      [3 * H, 4 * H, ben.name],
      [4 * H, 5 * H, anna.name],
      [5 * H, null, ben.name],
    ])
    const byDriver = await member.drivers.assignments({
      driverId: ben.id,
      from: new Date(BASE),
      to: new Date(),
    })
    expect(byDriver.items.map((a) => a.vehicleCode)).toEqual([vehicle.code, vehicle.code])
    const current = await member.drivers.current()
    expect(current.items.find((c) => c.vehicleId === vehicle.id)?.driverId).toBe(ben.id)

    await admin.drivers.unassign({ vehicleId: vehicle.id })
    const after = await member.drivers.current()
    expect(after.items.find((c) => c.vehicleId === vehicle.id)).toBeUndefined()
  })

  it('refuses an assignment in the future', async () => {
    const vehicle = await newVehicle()
    const driver = await newDriver()
    const error = await expectTRPCError(
      admin.drivers.assign({
        driverId: driver.id,
        vehicleId: vehicle.id,
        from: new Date(Date.now() + 86_400_000),
      }),
      'BAD_REQUEST',
    )
    expect(error.message).toMatch(/future/)
  })

  it('serializes concurrent assignments of one vehicle into a clean timeline', async () => {
    const vehicle = await newVehicle()
    const drivers = await Promise.all([newDriver(), newDriver(), newDriver(), newDriver()])
    await Promise.all(
      drivers.map((d, i) =>
        admin.drivers.assign({
          driverId: d.id,
          vehicleId: vehicle.id,
          from: new Date(BASE + i * H),
        }),
      ),
    )
    const { items } = await admin.drivers.assignments({
      vehicleId: vehicle.id,
      from: new Date(BASE - H),
      to: new Date(),
    })
    const sorted = items.map((a) => [a.from.getTime(), a.to?.getTime() ?? null]).reverse()
    expect(sorted).toHaveLength(4)
    for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1]?.[1]).toBe(sorted[i]?.[0])
    expect(sorted.at(-1)?.[1]).toBeNull()
  })
})

describe('reports.drivers', () => {
  it('gives each driver the distance, trips, alerts and score of the times it drove', async () => {
    const vehicle = await newVehicle()
    const anna = await newDriver()
    const ben = await newDriver()
    const start = BASE + 10 * 24 * H + 12 * H
    // An hour north at 60 km/h, one point a second: Ben brakes hard to a stop at the half hour,
    // Anna pulls away gently from there.
    const points = []
    let lat = 52
    for (let s = 0; s <= 3600; s++) {
      let speed = 60
      if (s >= 1795 && s < 1800) speed = Math.max(0, 60 - (s - 1794) * 15)
      else if (s >= 1800 && s < 1812) speed = (s - 1800) * 5
      lat += speed / 3600 / 111.2
      points.push({ time: new Date(start + s * 1000), lat, lon: 13, speed, ignition: true })
    }
    await insertTelemetry(
      api.deps.db,
      points.map((p) => ({ ...p, orgId, deviceId: randomUUID(), vehicleId: vehicle.id })),
    )
    await upsertAlerts(api.deps.db, [
      {
        orgId,
        vehicleId: vehicle.id,
        ruleId: null,
        kind: 'harsh',
        key: `h:${vehicle.id}:${start}`,
        time: new Date(start + 1795_000),
        endTime: new Date(start + 1799_000),
        emittedAt: new Date(start + 1799_000),
        value: -12,
        message: 'Harsh braking',
      },
    ])
    await admin.drivers.assign({
      driverId: ben.id,
      vehicleId: vehicle.id,
      from: new Date(start - H),
    })
    await admin.drivers.assign({
      driverId: anna.id,
      vehicleId: vehicle.id,
      from: new Date(start + 1800_000),
    })
    const report = await member.reports.drivers({
      from: new Date(start - 2 * H),
      to: new Date(start + 2 * H),
    })
    const rowOf = (id: string) => report.drivers.find((d) => d.driverId === id)
    const annaRow = rowOf(anna.id)
    const benRow = rowOf(ben.id)
    expect(annaRow?.distanceKm).toBeGreaterThan(29)
    expect(benRow?.distanceKm).toBeGreaterThan(29)
    expect((annaRow?.distanceKm ?? 0) + (benRow?.distanceKm ?? 0)).toBeLessThan(61)
    expect(benRow?.alertCounts).toEqual({ harsh: 1 })
    expect(annaRow?.alertCounts).toEqual({})
    expect(benRow?.measures.harshBrakings).toBe(1)
    expect(annaRow?.measures.harshBrakings).toBe(0)
    expect(annaRow?.score).toBeGreaterThan(benRow?.score ?? 100)
    const braking = benRow?.breakdown.find((l) => l.component === 'harshBraking')
    expect(braking?.penalty).toBeGreaterThan(0)
    expect(benRow?.weeks.length).toBeGreaterThanOrEqual(1)

    // The organization's weights are the score's: no weight on harsh braking, no penalty.
    await admin.drivers.updateScoreWeights({ harshBraking: 0 })
    expect((await member.drivers.scoreWeights()).harshBraking).toBe(0)
    const reweighed = await member.reports.drivers({
      driverId: ben.id,
      from: new Date(start - 2 * H),
      to: new Date(start + 2 * H),
    })
    expect(reweighed.drivers).toHaveLength(1)
    expect(reweighed.drivers[0]?.score).toBeGreaterThan(benRow?.score ?? 100)
    await admin.drivers.updateScoreWeights({ harshBraking: 3 })

    const trips = await member.reports.trips({
      vehicleId: vehicle.id,
      from: new Date(start - H),
      to: new Date(start + 2 * H),
    })
    expect(trips.trips.map((t) => t.driverName)).toEqual([ben.name])

    // The daily summary's vehicle row lists who drove which part of the period.
    const day = new Date(start).toISOString().slice(0, 10)
    const daily = await member.reports.daily({ vehicleId: vehicle.id, from: day, to: day })
    const parts = daily.vehicles[0]?.drivers ?? []
    expect(parts.map((p) => p.driverName)).toEqual([ben.name, anna.name])
    expect(parts[1]?.from).toBe(start + 1800_000)
  })
})
