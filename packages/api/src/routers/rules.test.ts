import { upsertAlerts } from '@fms/db/queries/alerts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi
let a: Awaited<ReturnType<TestApi['registerOrg']>>
let b: Awaited<ReturnType<TestApi['registerOrg']>>

beforeAll(async () => {
  api = await createTestApi()
  a = await api.registerOrg()
  b = await api.registerOrg()
})
afterAll(() => api?.close())

const circle = { type: 'circle' as const, lat: 52.52, lon: 13.405, radiusM: 500 }

describe('geofences', () => {
  it('creates circles and polygons, lists, updates and removes them', async () => {
    const depot = await a.caller.geofences.create({ name: 'Depot', shape: circle })
    const zone = await a.caller.geofences.create({
      name: 'Zone',
      shape: {
        type: 'polygon',
        points: [
          [52, 13],
          [52, 14],
          [53, 14],
        ],
      },
    })
    expect((await a.caller.geofences.list({})).items.map((g) => g.id).sort()).toEqual(
      [depot.id, zone.id].sort(),
    )
    const renamed = await a.caller.geofences.update({ id: depot.id, name: 'Main depot' })
    expect(renamed).toMatchObject({ name: 'Main depot', shape: circle })
    await a.caller.geofences.remove({ id: zone.id })
    await expectTRPCError(a.caller.geofences.byId({ id: zone.id }), 'NOT_FOUND')
  })

  it('answers BAD_REQUEST to a polygon with two points or a huge radius', async () => {
    await expectTRPCError(
      a.caller.geofences.create({
        name: 'x',
        shape: {
          type: 'polygon',
          points: [
            [1, 1],
            [2, 2],
          ],
        },
      }),
      'BAD_REQUEST',
    )
    await expectTRPCError(
      a.caller.geofences.create({ name: 'x', shape: { ...circle, radiusM: 1e7 } }),
      'BAD_REQUEST',
    )
  })

  it("answers NOT_FOUND for another organization's geofence and lists none of it", async () => {
    const theirs = await b.caller.geofences.create({ name: 'Theirs', shape: circle })
    await expectTRPCError(a.caller.geofences.byId({ id: theirs.id }), 'NOT_FOUND')
    await expectTRPCError(a.caller.geofences.remove({ id: theirs.id }), 'NOT_FOUND')
    expect((await a.caller.geofences.list({})).items.map((g) => g.id)).not.toContain(theirs.id)
  })
})

describe('rules', () => {
  it('creates an overspeed rule for one vehicle and lists it', async () => {
    const vehicle = await a.caller.vehicles.create({ code: 'R1', vin: makeVin() })
    const rule = await a.caller.rules.create({
      kind: 'overspeed',
      threshold: 90,
      durationSec: 30,
      vehicleId: vehicle.id,
    })
    expect(rule).toMatchObject({ kind: 'overspeed', threshold: 90, isEnabled: true })
    expect((await a.caller.rules.list({ vehicleId: vehicle.id })).items).toHaveLength(1)
    expect(await a.caller.rules.update({ id: rule.id, isEnabled: false })).toMatchObject({
      isEnabled: false,
    })
  })

  it("refuses a rule naming another organization's vehicle or geofence", async () => {
    const theirVehicle = await b.caller.vehicles.create({ code: 'B1', vin: makeVin() })
    const theirFence = await b.caller.geofences.create({ name: 'B', shape: circle })
    await expectTRPCError(
      a.caller.rules.create({ kind: 'overspeed', threshold: 90, vehicleId: theirVehicle.id }),
      'NOT_FOUND',
    )
    await expectTRPCError(
      a.caller.rules.create({ kind: 'geofence_enter', geofenceId: theirFence.id }),
      'NOT_FOUND',
    )
  })

  it('answers BAD_REQUEST to an unknown kind', async () => {
    await expectTRPCError(a.caller.rules.create({ kind: 'teleport' as 'overspeed' }), 'BAD_REQUEST')
  })
})

describe('alerts', () => {
  it('lists the own organization alerts, newest first, and acknowledges once', async () => {
    const vehicle = await a.caller.vehicles.create({ code: 'AL1', vin: makeVin() })
    const base = {
      vehicleId: vehicle.id,
      ruleId: null,
      kind: 'overspeed',
      endTime: null,
      value: 120,
    }
    const at = (t: number) => new Date(Date.UTC(2026, 10, 1, 8, t))
    await upsertAlerts(api.deps.db, [
      {
        ...base,
        orgId: a.session.user.orgId,
        key: 'k1',
        time: at(0),
        emittedAt: at(1),
        message: 'first',
      },
      {
        ...base,
        orgId: a.session.user.orgId,
        key: 'k2',
        time: at(5),
        emittedAt: at(6),
        message: 'second',
      },
      {
        ...base,
        orgId: b.session.user.orgId,
        key: 'k3',
        time: at(7),
        emittedAt: at(8),
        message: 'theirs',
      },
    ])
    const listed = await a.caller.alerts.list({ vehicleId: vehicle.id })
    expect(listed.items.map((x) => x.message)).toEqual(['second', 'first'])
    const first = await a.caller.alerts.acknowledge({ id: listed.items[0]!.id })
    const user = await api.addUser(a.caller, 'user')
    const again = await user.caller.alerts.acknowledge({ id: listed.items[0]!.id })
    expect(again.acknowledgedBy).toBe(first.acknowledgedBy)
    expect(
      (await a.caller.alerts.list({ isAcknowledged: false, vehicleId: vehicle.id })).items,
    ).toHaveLength(1)
  })

  it('keeps one row per episode key when a later version arrives', async () => {
    const vehicle = await a.caller.vehicles.create({ code: 'AL2', vin: makeVin() })
    const row = {
      orgId: a.session.user.orgId,
      vehicleId: vehicle.id,
      ruleId: null,
      kind: 'idle',
      key: `idle:${vehicle.id}:1`,
      time: new Date(1_790_000_000_000),
      endTime: null,
      emittedAt: new Date(1_790_000_300_000),
      value: 300,
      message: 'idling',
    }
    await upsertAlerts(api.deps.db, [row])
    await upsertAlerts(api.deps.db, [{ ...row, endTime: new Date(1_790_000_900_000), value: 900 }])
    const listed = await a.caller.alerts.list({ vehicleId: vehicle.id })
    expect(listed.items).toHaveLength(1)
    expect(listed.items[0]).toMatchObject({ value: 900, endTime: new Date(1_790_000_900_000) })
  })

  it("answers NOT_FOUND when acknowledging another organization's alert", async () => {
    const vehicle = await b.caller.vehicles.create({ code: 'BX', vin: makeVin() })
    const [theirs] = await upsertAlerts(api.deps.db, [
      {
        orgId: b.session.user.orgId,
        vehicleId: vehicle.id,
        ruleId: null,
        kind: 'low_fuel',
        key: 'b-low',
        time: new Date(),
        endTime: null,
        emittedAt: new Date(),
        value: 5,
        message: 'low fuel',
      },
    ])
    await expectTRPCError(a.caller.alerts.acknowledge({ id: theirs!.id }), 'NOT_FOUND')
  })
})
