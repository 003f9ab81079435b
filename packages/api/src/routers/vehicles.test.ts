import { randomUUID } from 'node:crypto'
import { eq } from '@fms/db'
import { vehicles } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ZodError, z } from 'zod'
import { type Caller, createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi
let codeCounter = 0

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(() => api?.close())

/** Valid create input with a unique code and VIN; overrides win. */
function vehicleInput(overrides: Record<string, unknown> = {}) {
  return { code: `V${++codeCounter}`, vin: makeVin(), ...overrides }
}

async function vehicleRow(id: string) {
  const [row] = await api.deps.db.select().from(vehicles).where(eq(vehicles.id, id))
  return row ?? null
}

/** Follows nextCursor from the first page to the last; returns the ids in the order seen. */
async function walk(caller: Caller, input: Record<string, unknown>) {
  const ids: string[] = []
  let cursor: string | undefined
  for (let page = 0; page < 20; page++) {
    const result = await caller.vehicles.list({ ...input, limit: 2, cursor })
    expect(result.items.length).toBeLessThanOrEqual(2)
    ids.push(...result.items.map((v) => v.id))
    if (result.nextCursor === null) return ids
    cursor = result.nextCursor
  }
  throw new Error('pagination did not end')
}

describe('vehicles', () => {
  it('creates, reads, updates and removes a vehicle', async () => {
    const { caller, session } = await api.registerOrg()
    const input = vehicleInput({ plate: 'B 123 CD', manufacturer: 'Volvo', makeYear: 2020 })
    const created = await caller.vehicles.create(input)
    expect(created).toMatchObject({
      ...input,
      orgId: session.user.orgId,
      status: 'active',
      type: 'car',
    })
    expect(await caller.vehicles.byId({ id: created.id })).toEqual(created)

    const updated = await caller.vehicles.update({
      id: created.id,
      plate: null,
      status: 'maintenance',
    })
    expect(updated).toMatchObject({ id: created.id, plate: null, status: 'maintenance' })
    expect(updated.code).toBe(input.code)
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime())
    expect(await caller.vehicles.byId({ id: created.id })).toEqual(updated)

    expect(await caller.vehicles.remove({ id: created.id })).toEqual(updated)
    await expectTRPCError(caller.vehicles.byId({ id: created.id }), 'NOT_FOUND')
    expect(await vehicleRow(created.id)).toBeNull()
  })

  it('stores the VIN in upper case', async () => {
    const { caller } = await api.registerOrg()
    const vin = makeVin()
    const created = await caller.vehicles.create(vehicleInput({ vin: ` ${vin.toLowerCase()} ` }))
    expect(created.vin).toBe(vin)
    expect((await vehicleRow(created.id))?.vin).toBe(vin)
  })

  it('answers CONFLICT naming the field to a second vehicle with the same code', async () => {
    const { caller } = await api.registerOrg()
    const first = await caller.vehicles.create(vehicleInput())
    const error = await expectTRPCError(
      caller.vehicles.create(vehicleInput({ code: first.code })),
      'CONFLICT',
    )
    expect(error.cause).toMatchObject({ fieldErrors: { code: [expect.any(String)] } })
    expect((await caller.vehicles.list({})).items.map((v) => v.id)).toEqual([first.id])
  })

  it('answers CONFLICT naming the field to a second vehicle with the same VIN', async () => {
    const { caller } = await api.registerOrg()
    const first = await caller.vehicles.create(vehicleInput())
    const error = await expectTRPCError(
      caller.vehicles.create(vehicleInput({ vin: first.vin.toLowerCase() })),
      'CONFLICT',
    )
    expect(error.cause).toMatchObject({ fieldErrors: { vin: [expect.any(String)] } })
    expect((await caller.vehicles.list({})).items.map((v) => v.id)).toEqual([first.id])
  })

  it('answers CONFLICT naming the field to an update onto a taken code', async () => {
    const { caller } = await api.registerOrg()
    const first = await caller.vehicles.create(vehicleInput())
    const second = await caller.vehicles.create(vehicleInput())
    const error = await expectTRPCError(
      caller.vehicles.update({ id: second.id, code: first.code }),
      'CONFLICT',
    )
    expect(error.cause).toMatchObject({ fieldErrors: { code: [expect.any(String)] } })
    expect({ ...(await vehicleRow(second.id)), groupIds: [] }).toEqual(second)
  })

  it('allows the same code and VIN in another organization', async () => {
    const a = await api.registerOrg()
    const b = await api.registerOrg()
    const input = vehicleInput()
    const inA = await a.caller.vehicles.create(input)
    const inB = await b.caller.vehicles.create(input)
    expect(inB).toMatchObject({ code: inA.code, vin: inA.vin, orgId: b.session.user.orgId })
    expect(inB.id).not.toBe(inA.id)
  })

  it('answers BAD_REQUEST with a field error to a make year out of range', async () => {
    const { caller } = await api.registerOrg()
    for (const makeYear of [1899, new Date().getUTCFullYear() + 2]) {
      const error = await expectTRPCError(
        caller.vehicles.create(vehicleInput({ makeYear })),
        'BAD_REQUEST',
      )
      expect(error.cause).toBeInstanceOf(ZodError)
      expect(z.flattenError(error.cause as ZodError).fieldErrors).toHaveProperty('makeYear')
    }
    expect((await caller.vehicles.list({})).items).toEqual([])
  })

  it('answers NOT_FOUND to reading, updating and removing another organization’s vehicle', async () => {
    const owner = await api.registerOrg()
    const intruder = await api.registerOrg()
    const vehicle = await owner.caller.vehicles.create(vehicleInput())

    await expectTRPCError(intruder.caller.vehicles.byId({ id: vehicle.id }), 'NOT_FOUND')
    await expectTRPCError(
      intruder.caller.vehicles.update({ id: vehicle.id, code: 'HIJACKED', status: 'retired' }),
      'NOT_FOUND',
    )
    await expectTRPCError(intruder.caller.vehicles.remove({ id: vehicle.id }), 'NOT_FOUND')
    expect({ ...(await vehicleRow(vehicle.id)), groupIds: [] }).toEqual(vehicle)
  })

  it('lists only the vehicles of the own organization', async () => {
    const a = await api.registerOrg()
    const b = await api.registerOrg()
    const mine = await a.caller.vehicles.create(vehicleInput())
    const theirs = await b.caller.vehicles.create(vehicleInput())
    expect((await a.caller.vehicles.list({})).items.map((v) => v.id)).toEqual([mine.id])
    expect((await b.caller.vehicles.list({})).items.map((v) => v.id)).toEqual([theirs.id])
  })

  it('lets the user role list and read vehicles', async () => {
    const org = await api.registerOrg()
    const vehicle = await org.caller.vehicles.create(vehicleInput())
    const { caller: user } = await api.addUser(org.caller, 'user')
    expect((await user.vehicles.list({})).items).toEqual([vehicle])
    expect(await user.vehicles.byId({ id: vehicle.id })).toEqual(vehicle)
  })

  it('searches code, plate and manufacturer case-insensitively', async () => {
    const { caller } = await api.registerOrg()
    const byCode = await caller.vehicles.create(vehicleInput({ code: 'TRUCK-7' }))
    const byPlate = await caller.vehicles.create(vehicleInput({ plate: 'XTRUCKX' }))
    const byMaker = await caller.vehicles.create(vehicleInput({ manufacturer: 'Truckworks' }))
    await caller.vehicles.create(vehicleInput({ plate: 'B 1', manufacturer: 'Volvo' }))
    const found = await caller.vehicles.list({ search: 'truck' })
    expect(found.items.map((v) => v.id).sort()).toEqual([byCode.id, byPlate.id, byMaker.id].sort())
  })

  it('treats % and _ in a search as literal characters', async () => {
    const { caller } = await api.registerOrg()
    const percent = await caller.vehicles.create(vehicleInput({ plate: 'AB%12' }))
    await caller.vehicles.create(vehicleInput({ plate: 'ABX12' }))
    const underscore = await caller.vehicles.create(vehicleInput({ manufacturer: 'Foo_Bar' }))
    await caller.vehicles.create(vehicleInput({ manufacturer: 'FooXBar' }))
    expect((await caller.vehicles.list({ search: 'B%1' })).items.map((v) => v.id)).toEqual([
      percent.id,
    ])
    expect((await caller.vehicles.list({ search: 'o_B' })).items.map((v) => v.id)).toEqual([
      underscore.id,
    ])
    expect((await caller.vehicles.list({ search: '%' })).items.map((v) => v.id)).toEqual([
      percent.id,
    ])
  })

  it('sorts by code ascending and descending', async () => {
    const { caller } = await api.registerOrg()
    for (const code of ['CC', 'AA', 'DD', 'BB'])
      await caller.vehicles.create(vehicleInput({ code }))
    const asc = await caller.vehicles.list({ sort: 'code', order: 'asc' })
    expect(asc.items.map((v) => v.code)).toEqual(['AA', 'BB', 'CC', 'DD'])
    const desc = await caller.vehicles.list({ sort: 'code', order: 'desc' })
    expect(desc.items.map((v) => v.code)).toEqual(['DD', 'CC', 'BB', 'AA'])
  })

  it('walks every vehicle exactly once page by page, newest first', async () => {
    const { caller } = await api.registerOrg()
    const created: string[] = []
    for (let i = 0; i < 7; i++) created.push((await caller.vehicles.create(vehicleInput())).id)
    const ids = await walk(caller, { sort: 'createdAt', order: 'desc' })
    expect(ids).toHaveLength(7)
    expect([...ids].sort()).toEqual([...created].sort())
    const all = await caller.vehicles.list({ sort: 'createdAt', order: 'desc', limit: 100 })
    expect(ids).toEqual(all.items.map((v) => v.id))
    const times = all.items.map((v) => v.createdAt.getTime())
    expect(times).toEqual([...times].sort((x, y) => y - x))
  })

  it('walks every vehicle exactly once page by page, by code ascending', async () => {
    const { caller } = await api.registerOrg()
    const codes = ['PG', 'PC', 'PE', 'PA', 'PF', 'PB', 'PD']
    for (const code of codes) await caller.vehicles.create(vehicleInput({ code }))
    const ids = await walk(caller, { sort: 'code', order: 'asc' })
    const byId = new Map(
      (await caller.vehicles.list({ limit: 100 })).items.map((v) => [v.id, v.code]),
    )
    expect(ids.map((id) => byId.get(id))).toEqual([...codes].sort())
  })

  it('answers BAD_REQUEST to a garbage cursor', async () => {
    const { caller } = await api.registerOrg()
    await caller.vehicles.create(vehicleInput())
    const error = await expectTRPCError(
      caller.vehicles.list({ cursor: 'not-a-cursor' }),
      'BAD_REQUEST',
    )
    expect(error.cause).toMatchObject({ fieldErrors: { cursor: [expect.any(String)] } })
  })

  it('ignores an orgId in the create input and files the vehicle in the caller’s organization', async () => {
    const mine = await api.registerOrg()
    const victim = await api.registerOrg()
    const input = { ...vehicleInput(), orgId: victim.session.user.orgId, id: randomUUID() }
    const created = await mine.caller.vehicles.create(input)
    expect(created.orgId).toBe(mine.session.user.orgId)
    expect(created.id).not.toBe(input.id)
    expect((await vehicleRow(created.id))?.orgId).toBe(mine.session.user.orgId)
    expect((await victim.caller.vehicles.list({})).items).toEqual([])
  })
})
