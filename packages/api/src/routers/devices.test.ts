import { eq } from '@fms/db'
import { devices } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Caller, createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi
let counter = 0

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(() => api?.close())

function createVehicle(caller: Caller) {
  return caller.vehicles.create({ code: `DV${++counter}`, vin: makeVin() })
}

async function deviceRow(id: string) {
  const [row] = await api.deps.db.select().from(devices).where(eq(devices.id, id))
  return row ?? null
}

async function orgDeviceRows(orgId: string) {
  return api.deps.db.select().from(devices).where(eq(devices.orgId, orgId))
}

describe('devices', () => {
  it('creates, reads, updates and removes a device', async () => {
    const { caller, session } = await api.registerOrg()
    const vehicle = await createVehicle(caller)
    const token = await caller.tokens.create({ title: 'Tracker' })
    const created = await caller.devices.create({
      externalId: 'IMEI-356938035643809',
      model: 'FMB920',
      vehicleId: vehicle.id,
      tokenId: token.id,
    })
    expect(created).toMatchObject({
      orgId: session.user.orgId,
      externalId: 'IMEI-356938035643809',
      model: 'FMB920',
      status: 'active',
      vehicleId: vehicle.id,
      tokenId: token.id,
      macAddress: null,
    })
    expect(await caller.devices.byId({ id: created.id })).toEqual(created)

    const updated = await caller.devices.update({
      id: created.id,
      status: 'inactive',
      swVersion: '1.2.3',
      vehicleId: null,
    })
    expect(updated).toMatchObject({
      id: created.id,
      status: 'inactive',
      swVersion: '1.2.3',
      vehicleId: null,
      tokenId: token.id,
      model: 'FMB920',
    })
    expect(await caller.devices.byId({ id: created.id })).toEqual(updated)

    expect(await caller.devices.remove({ id: created.id })).toEqual(updated)
    await expectTRPCError(caller.devices.byId({ id: created.id }), 'NOT_FOUND')
    expect(await deviceRow(created.id)).toBeNull()
  })

  it('stores the MAC address in upper case with colons', async () => {
    const { caller } = await api.registerOrg()
    const created = await caller.devices.create({ macAddress: ' aa-bb-cc-0d-ee-ff ' })
    expect(created.macAddress).toBe('AA:BB:CC:0D:EE:FF')
    expect((await deviceRow(created.id))?.macAddress).toBe('AA:BB:CC:0D:EE:FF')
  })

  it('answers CONFLICT naming the field to a second device with the same external id', async () => {
    const { caller, session } = await api.registerOrg()
    const first = await caller.devices.create({ externalId: 'SN-1' })
    const error = await expectTRPCError(caller.devices.create({ externalId: 'SN-1' }), 'CONFLICT')
    expect(error.cause).toMatchObject({ fieldErrors: { externalId: [expect.any(String)] } })
    expect((await orgDeviceRows(session.user.orgId)).map((d) => d.id)).toEqual([first.id])
  })

  it('answers CONFLICT naming the field to a second device with the same MAC address', async () => {
    const { caller, session } = await api.registerOrg()
    const first = await caller.devices.create({ macAddress: '00:11:22:33:44:55' })
    const error = await expectTRPCError(
      caller.devices.create({ macAddress: '00-11-22-33-44-55' }),
      'CONFLICT',
    )
    expect(error.cause).toMatchObject({ fieldErrors: { macAddress: [expect.any(String)] } })
    expect((await orgDeviceRows(session.user.orgId)).map((d) => d.id)).toEqual([first.id])
  })

  it('allows the same external id in another organization', async () => {
    const a = await api.registerOrg()
    const b = await api.registerOrg()
    await a.caller.devices.create({ externalId: 'SHARED-1' })
    const inB = await b.caller.devices.create({ externalId: 'SHARED-1' })
    expect(inB).toMatchObject({ externalId: 'SHARED-1', orgId: b.session.user.orgId })
  })

  it('answers NOT_FOUND and creates nothing when linked to another organization’s vehicle', async () => {
    const mine = await api.registerOrg()
    const other = await api.registerOrg()
    const vehicle = await createVehicle(other.caller)
    const error = await expectTRPCError(
      mine.caller.devices.create({ externalId: 'X-1', vehicleId: vehicle.id }),
      'NOT_FOUND',
    )
    expect(error.cause).toMatchObject({ fieldErrors: { vehicleId: [expect.any(String)] } })
    expect(await orgDeviceRows(mine.session.user.orgId)).toEqual([])
    expect(await orgDeviceRows(other.session.user.orgId)).toEqual([])
  })

  it('answers NOT_FOUND and creates nothing when linked to another organization’s token', async () => {
    const mine = await api.registerOrg()
    const other = await api.registerOrg()
    const token = await other.caller.tokens.create({ title: 'Theirs' })
    const error = await expectTRPCError(
      mine.caller.devices.create({ externalId: 'X-2', tokenId: token.id }),
      'NOT_FOUND',
    )
    expect(error.cause).toMatchObject({ fieldErrors: { tokenId: [expect.any(String)] } })
    expect(await orgDeviceRows(mine.session.user.orgId)).toEqual([])
  })

  it('answers NOT_FOUND and creates nothing when linked to a revoked token', async () => {
    const { caller, session } = await api.registerOrg()
    const token = await caller.tokens.create({ title: 'Old' })
    await caller.tokens.revoke({ id: token.id })
    const error = await expectTRPCError(
      caller.devices.create({ externalId: 'X-3', tokenId: token.id }),
      'NOT_FOUND',
    )
    expect(error.cause).toMatchObject({ fieldErrors: { tokenId: [expect.any(String)] } })
    expect(await orgDeviceRows(session.user.orgId)).toEqual([])
  })

  it('answers NOT_FOUND and changes nothing when an update links another organization’s vehicle', async () => {
    const mine = await api.registerOrg()
    const other = await api.registerOrg()
    const theirs = await createVehicle(other.caller)
    const device = await mine.caller.devices.create({ externalId: 'X-4' })
    await expectTRPCError(
      mine.caller.devices.update({ id: device.id, vehicleId: theirs.id, model: 'changed' }),
      'NOT_FOUND',
    )
    expect(await deviceRow(device.id)).toEqual(device)
  })

  it('lists the devices of one vehicle', async () => {
    const { caller } = await api.registerOrg()
    const truck = await createVehicle(caller)
    const van = await createVehicle(caller)
    const onTruck = await caller.devices.create({ externalId: 'T-1', vehicleId: truck.id })
    await caller.devices.create({ externalId: 'V-1', vehicleId: van.id })
    await caller.devices.create({ externalId: 'U-1' })
    const list = await caller.devices.list({ vehicleId: truck.id })
    expect(list.items.map((d) => d.id)).toEqual([onTruck.id])
    expect((await caller.devices.list({})).items).toHaveLength(3)
  })

  it('unlinks the device when its vehicle is removed', async () => {
    const { caller } = await api.registerOrg()
    const vehicle = await createVehicle(caller)
    const device = await caller.devices.create({ externalId: 'L-1', vehicleId: vehicle.id })
    await caller.vehicles.remove({ id: vehicle.id })
    expect(await caller.devices.byId({ id: device.id })).toMatchObject({
      id: device.id,
      vehicleId: null,
    })
  })

  it('lists only the devices of the own organization', async () => {
    const a = await api.registerOrg()
    const b = await api.registerOrg()
    const mine = await a.caller.devices.create({ externalId: 'OWN-1' })
    await b.caller.devices.create({ externalId: 'OWN-1' })
    expect((await a.caller.devices.list({})).items.map((d) => d.id)).toEqual([mine.id])
  })

  it('answers NOT_FOUND to reading, updating and removing another organization’s device', async () => {
    const owner = await api.registerOrg()
    const intruder = await api.registerOrg()
    const device = await owner.caller.devices.create({ externalId: 'MINE-1', model: 'FMB920' })

    await expectTRPCError(intruder.caller.devices.byId({ id: device.id }), 'NOT_FOUND')
    await expectTRPCError(
      intruder.caller.devices.update({ id: device.id, model: 'pwned', status: 'inactive' }),
      'NOT_FOUND',
    )
    await expectTRPCError(intruder.caller.devices.remove({ id: device.id }), 'NOT_FOUND')
    expect(await deviceRow(device.id)).toEqual(device)
  })

  it('lets the user role list and read devices', async () => {
    const org = await api.registerOrg()
    const device = await org.caller.devices.create({ externalId: 'R-1' })
    const { caller: user } = await api.addUser(org.caller, 'user')
    expect((await user.devices.list({})).items).toEqual([device])
    expect(await user.devices.byId({ id: device.id })).toEqual(device)
  })

  it('ignores an orgId in the create input and files the device in the caller’s organization', async () => {
    const mine = await api.registerOrg()
    const victim = await api.registerOrg()
    const input = { externalId: 'S5-1', orgId: victim.session.user.orgId }
    const created = await mine.caller.devices.create(input)
    expect(created.orgId).toBe(mine.session.user.orgId)
    expect(await orgDeviceRows(victim.session.user.orgId)).toEqual([])
  })
})
