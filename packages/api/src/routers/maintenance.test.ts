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

beforeAll(async () => {
  api = await createTestApi()
  const org = await api.registerOrg()
  admin = org.caller
  orgId = org.session.user.orgId
  member = (await api.addUser(admin, 'user')).caller
  outsider = (await api.registerOrg()).caller
})
afterAll(() => api?.close())

function newVehicle(fields: Record<string, unknown> = {}, caller = admin) {
  return caller.vehicles.create({ code: `M${++counter}`, vin: makeVin(), ...fields })
}

describe('maintenance schedules', () => {
  it('plans a schedule, shows when each vehicle is due, and restarts it at a service', async () => {
    const vehicle = await newVehicle({ type: 'truck' })
    const schedule = await admin.maintenance.create({
      name: 'Oil change',
      vehicleId: vehicle.id,
      everyKm: 15_000,
      everyDays: 365,
      warnDays: 30,
    })
    const listed = await member.maintenance.list({ vehicleId: vehicle.id })
    const mine = listed.items.find((s) => s.id === schedule.id)
    expect(mine?.vehicles).toHaveLength(1)
    expect(mine?.vehicles[0]).toMatchObject({ vehicleId: vehicle.id, status: 'ok', dueKm: 15_000 })
    expect(mine?.vehicles[0]?.remainingDays).toBeCloseTo(365, 0)

    const service = await member.maintenance.complete({
      vehicleId: vehicle.id,
      scheduleId: schedule.id,
      odometerKm: 14_800,
      engineHours: 300,
      cost: 189.5,
      notes: '=cmd|"/c calc"!A1',
    })
    expect(service).toMatchObject({ odometerKm: 14_800, cost: 189.5, scheduleId: schedule.id })
    const after = await member.maintenance.list({ vehicleId: vehicle.id })
    expect(after.items.find((s) => s.id === schedule.id)?.vehicles[0]).toMatchObject({
      dueKm: 29_800,
      sinceServiceId: service.id,
    })
    const history = await member.maintenance.history({ vehicleId: vehicle.id })
    expect(history.items.map((h) => [h.scheduleName, h.odometerKm])).toEqual([
      ['Oil change', 14_800],
    ])
    const { csv } = await member.maintenance.historyCsv({ vehicleId: vehicle.id })
    expect(csv).toContain(vehicle.code)
    // A cell a spreadsheet would run as a formula is neutralized.
    expect(csv).toContain(`"'=cmd|""/c calc""!A1"`)
  })

  it('applies a schedule by vehicle type to every vehicle of that type', async () => {
    const a = await newVehicle({ type: 'bus' })
    const b = await newVehicle({ type: 'bus' })
    await newVehicle({ type: 'car' })
    const schedule = await admin.maintenance.create({
      name: 'Brake check',
      vehicleType: 'bus',
      everyDays: 90,
    })
    const listed = await admin.maintenance.list()
    const ids = listed.items.find((s) => s.id === schedule.id)?.vehicles.map((v) => v.vehicleId)
    expect(ids?.sort()).toEqual([a.id, b.id].sort())
  })

  it('is overdue once a day-interval has passed since the last service', async () => {
    const vehicle = await newVehicle()
    const schedule = await admin.maintenance.create({
      name: 'Inspection',
      vehicleId: vehicle.id,
      everyDays: 30,
      warnDays: 5,
    })
    await admin.maintenance.complete({
      vehicleId: vehicle.id,
      scheduleId: schedule.id,
      performedAt: new Date(Date.now() - 40 * 86_400_000),
    })
    const overdue = await admin.maintenance.list({ status: 'overdue' })
    const row = overdue.items.find((s) => s.id === schedule.id)?.vehicles[0]
    expect(row?.status).toBe('overdue')
    expect(row?.remainingDays).toBeLessThan(-9)
  })

  it('refuses schedules without one target or without an interval, changing nothing', async () => {
    const vehicle = await newVehicle()
    const before = (await admin.maintenance.list()).items.length
    await expectTRPCError(admin.maintenance.create({ name: 'x', everyKm: 100 }), 'BAD_REQUEST')
    await expectTRPCError(
      admin.maintenance.create({
        name: 'x',
        vehicleId: vehicle.id,
        vehicleType: 'car',
        everyKm: 1,
      }),
      'BAD_REQUEST',
    )
    await expectTRPCError(
      admin.maintenance.create({ name: 'x', vehicleId: vehicle.id }),
      'BAD_REQUEST',
    )
    await expectTRPCError(
      admin.maintenance.create({ name: 'x', vehicleId: vehicle.id, everyKm: -5 }),
      'BAD_REQUEST',
    )
    expect((await admin.maintenance.list()).items.length).toBe(before)
  })

  it('keeps roles and organizations apart', async () => {
    const vehicle = await newVehicle()
    const schedule = await admin.maintenance.create({
      name: 'Tyres',
      vehicleId: vehicle.id,
      everyKm: 40_000,
    })
    await expectTRPCError(
      member.maintenance.create({ name: 'x', vehicleId: vehicle.id, everyKm: 1 }),
      'FORBIDDEN',
    )
    await expectTRPCError(member.maintenance.remove({ id: schedule.id }), 'FORBIDDEN')
    await expectTRPCError(outsider.maintenance.update({ id: schedule.id, name: 'y' }), 'NOT_FOUND')
    await expectTRPCError(outsider.maintenance.remove({ id: schedule.id }), 'NOT_FOUND')
    await expectTRPCError(outsider.maintenance.complete({ vehicleId: vehicle.id }), 'NOT_FOUND')
    await expectTRPCError(
      admin.maintenance.create({
        name: 'x',
        vehicleId: (await newVehicle({}, outsider)).id,
        everyKm: 1,
      }),
      'NOT_FOUND',
    )
    const theirs = await outsider.maintenance.list()
    expect(theirs.items.map((s) => s.id)).not.toContain(schedule.id)
    expect((await outsider.maintenance.history()).items).toEqual([])
    await admin.maintenance.remove({ id: schedule.id })
    expect((await admin.maintenance.list()).items.map((s) => s.id)).not.toContain(schedule.id)
  })
})

describe('fuel purchases', () => {
  it('checks each receipt against the refuels the tank level shows, in litres', async () => {
    const vehicle = await newVehicle({ fuelTankLitres: 60 })
    const start = Date.now() - 6 * 3_600_000
    // Parked at 20 %, filled to 80 % (36 L) within two minutes, then steady.
    const points = Array.from({ length: 60 }, (_, i) => ({
      time: new Date(start + i * 60_000),
      fuel: i < 10 ? 20 : i === 10 ? 50 : 80,
      speed: 0,
      lat: 52.5,
      lon: 13.4,
    }))
    await insertTelemetry(
      api.deps.db,
      points.map((p) => ({ ...p, orgId, vehicleId: vehicle.id, deviceId: randomUUID() })),
    )
    const matched = await member.fuel.create({
      vehicleId: vehicle.id,
      time: new Date(start + 12 * 60_000),
      litres: 36.4,
      price: 61.5,
      station: 'Aral <b>Mitte</b>',
    })
    const tooMuch = await member.fuel.create({
      vehicleId: vehicle.id,
      time: new Date(start + 15 * 60_000),
      litres: 80,
    })
    const nothing = await member.fuel.create({
      vehicleId: vehicle.id,
      time: new Date(start + 5 * 3_600_000),
      litres: 30,
    })
    const { items } = await member.fuel.list({ vehicleId: vehicle.id })
    const byId = new Map(items.map((i) => [i.id, i]))
    expect(byId.get(matched.id)).toMatchObject({
      check: 'matched',
      refuelLitres: 36,
      isFlagged: false,
    })
    expect(byId.get(matched.id)?.station).toBe('Aral <b>Mitte</b>')
    expect(byId.get(tooMuch.id)).toMatchObject({ check: 'refuel_smaller', isFlagged: true })
    expect(byId.get(nothing.id)).toMatchObject({ check: 'no_refuel', isFlagged: true })

    const daily = await member.reports.daily({
      vehicleId: vehicle.id,
      from: new Date(start).toISOString().slice(0, 10),
      to: new Date(start + 3_600_000).toISOString().slice(0, 10),
    })
    const total = daily.vehicles[0]?.total
    expect(total && 'refuelledL' in total ? total.refuelledL : null).toBeCloseTo(36, 0)

    // A refuel alert says how many litres went in.
    await upsertAlerts(api.deps.db, [
      {
        orgId,
        vehicleId: vehicle.id,
        ruleId: null,
        kind: 'refuel',
        key: `refuel-test:${vehicle.id}`,
        time: new Date(start + 10 * 60_000),
        endTime: new Date(start + 12 * 60_000),
        emittedAt: new Date(start + 12 * 60_000),
        value: 60,
        message: 'Refuel: +60 %',
      },
    ])
    const alerts = await member.alerts.list({ vehicleId: vehicle.id, kind: 'refuel' })
    expect(alerts.items[0]?.litres).toBe(36)

    await expectTRPCError(member.fuel.remove({ id: nothing.id }), 'FORBIDDEN')
    await expectTRPCError(outsider.fuel.remove({ id: nothing.id }), 'NOT_FOUND')
    await admin.fuel.remove({ id: nothing.id })
    expect((await member.fuel.list({ vehicleId: vehicle.id })).items).toHaveLength(2)
  })

  it('refuses a receipt in the future or for another organization', async () => {
    const vehicle = await newVehicle()
    await expectTRPCError(
      admin.fuel.create({
        vehicleId: vehicle.id,
        time: new Date(Date.now() + 86_400_000),
        litres: 10,
      }),
      'BAD_REQUEST',
    )
    await expectTRPCError(
      outsider.fuel.create({ vehicleId: vehicle.id, time: new Date(), litres: 10 }),
      'NOT_FOUND',
    )
    await expectTRPCError(
      admin.fuel.create({ vehicleId: vehicle.id, time: new Date(), litres: 0 }),
      'BAD_REQUEST',
    )
  })
})
