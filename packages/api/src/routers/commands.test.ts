import { eq } from '@fms/db'
import { claimCommand } from '@fms/db/queries/device-commands'
import { deviceCommands } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Caller, createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi
let admin: Caller
let user: Caller
let deviceId: string
let foreignDeviceId: string
let foreign: Caller

async function createDevice(caller: Caller) {
  const vehicle = await caller.vehicles.create({
    code: `C${Math.random()}`.slice(0, 8),
    vin: makeVin(),
  })
  return (await caller.devices.create({ vehicleId: vehicle.id })).id
}

beforeAll(async () => {
  api = await createTestApi()
  admin = (await api.registerOrg()).caller
  user = (await api.addUser(admin, 'user')).caller
  deviceId = await createDevice(admin)
  foreign = (await api.registerOrg()).caller
  foreignDeviceId = await createDevice(foreign)
})
afterAll(() => api?.close())

describe('commands', () => {
  it('queues a command and lists it with its state', async () => {
    const sent = await admin.commands.send({
      deviceId,
      type: 'setReportInterval',
      payload: { seconds: 30 },
    })
    expect(sent).toMatchObject({ deviceId, status: 'queued', payload: { seconds: 30 } })
    expect(sent.expiresAt.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000)
    const { items } = await user.commands.list({ deviceId })
    expect(items.map((c) => c.id)).toContain(sent.id)
  })

  it('refuses a payload that does not fit its type, and changes nothing', async () => {
    const before = (await admin.commands.list({ deviceId })).items.length
    await expectTRPCError(
      admin.commands.send({ deviceId, type: 'setReportInterval', payload: { seconds: 0 } }),
      'BAD_REQUEST',
    )
    await expectTRPCError(
      admin.commands.send({
        deviceId,
        type: 'custom',
        payload: { seconds: 5 } as unknown as { text: string },
      }),
      'BAD_REQUEST',
    )
    await expectTRPCError(
      admin.commands.send({
        deviceId,
        type: 'custom',
        payload: { text: 'x' },
        expiresAt: new Date(Date.now() - 1000),
      }),
      'BAD_REQUEST',
    )
    expect((await admin.commands.list({ deviceId })).items).toHaveLength(before)
  })

  it('hands out one command per claim, oldest first', async () => {
    const device = await createDevice(admin)
    const first = await admin.commands.send({
      deviceId: device,
      type: 'custom',
      payload: { text: '1' },
    })
    const second = await admin.commands.send({
      deviceId: device,
      type: 'custom',
      payload: { text: '2' },
    })
    const claim = () => claimCommand(api.deps.db, { deviceId: device, channel: 'mqtt' })
    expect((await claim())?.id).toBe(first.id)
    expect(
      (await admin.commands.list({ deviceId: device, status: 'queued' })).items.map((c) => c.id),
    ).toEqual([second.id])
    expect(await claim()).toEqual({ id: second.id, type: 'custom', payload: { text: '2' } })
    expect(await claim()).toBeNull()
  })

  it('cancels a queued command, and refuses to cancel one already sent', async () => {
    const queued = await admin.commands.send({ deviceId, type: 'custom', payload: { text: 'a' } })
    expect(await admin.commands.cancel({ id: queued.id })).toMatchObject({ status: 'cancelled' })
    await expectTRPCError(admin.commands.cancel({ id: queued.id }), 'CONFLICT')
    // Cancelled is never delivered: the device's next claim takes the older queued one, then none.
    const claimed: string[] = []
    for (;;) {
      const next = await claimCommand(api.deps.db, { deviceId, channel: 'osmand' })
      if (!next) break
      claimed.push(next.id)
    }
    expect(claimed).not.toContain(queued.id)
    const sentOne = claimed[0]
    expect(sentOne).toBeDefined()
    await expectTRPCError(admin.commands.cancel({ id: sentOne as string }), 'CONFLICT')
  })

  it('shows a command whose time passed undelivered as expired, and never hands it out', async () => {
    const soon = await admin.commands.send({
      deviceId,
      type: 'custom',
      payload: { text: 'late' },
    })
    // Its time passes (set in the database: no waiting on a clock).
    await api.deps.db
      .update(deviceCommands)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(deviceCommands.id, soon.id))
    expect(await claimCommand(api.deps.db, { deviceId, channel: 'osmand' })).toBeNull()
    const { items } = await admin.commands.list({ deviceId, status: 'expired' })
    expect(items.map((c) => c.id)).toEqual([soon.id])
  })

  it("answers NOT_FOUND for another organization's device or command", async () => {
    await expectTRPCError(
      admin.commands.send({ deviceId: foreignDeviceId, type: 'custom', payload: { text: 'x' } }),
      'NOT_FOUND',
    )
    await expectTRPCError(admin.commands.list({ deviceId: foreignDeviceId }), 'NOT_FOUND')
    const theirs = await foreign.commands.send({
      deviceId: foreignDeviceId,
      type: 'custom',
      payload: { text: 'theirs' },
    })
    await expectTRPCError(admin.commands.cancel({ id: theirs.id }), 'NOT_FOUND')
    expect((await admin.commands.list()).items.map((c) => c.id)).not.toContain(theirs.id)
    expect((await foreign.commands.list()).items[0]?.status).toBe('queued')
  })

  it('refuses send and cancel to the user role', async () => {
    await expectTRPCError(
      user.commands.send({ deviceId, type: 'custom', payload: { text: 'x' } }),
      'FORBIDDEN',
    )
  })
})
