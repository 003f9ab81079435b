import { eq } from '@fms/db'
import { organizations, reportSchedules } from '@fms/db/schema'
import { findNextReportRun } from '@fms/engine'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInnerContext } from '../context.ts'
import { createCaller } from '../root.ts'
import { type Caller, createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi
let admin: Caller
let member: Caller
let other: Caller
let adminId: string
let memberId: string
let otherUserId: string
let orgId: string
let vehicleId: string
let otherVehicleId: string

beforeAll(async () => {
  api = await createTestApi()
  const orgA = await api.registerOrg()
  const orgB = await api.registerOrg()
  admin = orgA.caller
  other = orgB.caller
  adminId = orgA.session.user.id
  orgId = orgA.session.user.orgId
  otherUserId = orgB.session.user.id
  const added = await api.addUser(admin, 'user')
  member = added.caller
  memberId = added.user.id
  vehicleId = (await admin.vehicles.create({ code: 'RS1', vin: makeVin() })).id
  otherVehicleId = (await other.vehicles.create({ code: 'RS2', vin: makeVin() })).id
})
afterAll(() => api?.close())

const valid = () => ({
  name: 'Morning summary',
  frequency: 'daily' as const,
  recipientUserIds: [adminId, memberId],
})

async function rowCount() {
  const rows = await api.deps.db
    .select({ id: reportSchedules.id })
    .from(reportSchedules)
    .where(eq(reportSchedules.orgId, orgId))
  return rows.length
}

describe('reports.schedules', () => {
  it('creates a schedule in the organization time zone with its next run computed', async () => {
    await api.deps.db
      .update(organizations)
      .set({ timeZone: 'Europe/Berlin' })
      .where(eq(organizations.id, orgId))
    const before = Date.now()
    const created = await admin.reports.schedules.create({ ...valid(), sendHour: 7 })
    expect(created).toMatchObject({
      name: 'Morning summary',
      frequency: 'daily',
      timeZone: null,
      sendHour: 7,
      vehicleIds: null,
      isEnabled: true,
      lastRunAt: null,
      lastError: null,
    })
    expect(created).not.toHaveProperty('orgId')
    const expected = findNextReportRun(
      { frequency: 'daily', timeZone: 'Europe/Berlin', sendHour: 7 },
      before,
    ).dueAt
    expect(created.nextRunAt.getTime()).toBe(expected)
    const list = await admin.reports.schedules.list()
    expect(list.orgTimeZone).toBe('Europe/Berlin')
    expect(list.isEmailEnabled).toBe(false)
    expect(list.items.map((s) => s.id)).toContain(created.id)
  })

  it('says email is on when the server can send it', async () => {
    const { session } = await api.registerOrg()
    const deps = { ...api.deps, email: { appUrl: 'http://fms.test', linkSecret: 'x'.repeat(32) } }
    const caller = createCaller(createInnerContext(deps, { accessToken: session.accessToken }))
    expect(await caller.reports.schedules.list()).toMatchObject({
      isEmailEnabled: true,
      orgTimeZone: 'UTC',
      items: [],
    })
  })

  it('updates, recomputes the next run when the timing changes, and removes', async () => {
    const created = await admin.reports.schedules.create({
      ...valid(),
      frequency: 'weekly',
      timeZone: 'America/New_York',
      vehicleIds: [vehicleId],
    })
    const renamed = await admin.reports.schedules.update({ id: created.id, name: 'Weekly' })
    expect(renamed.nextRunAt).toEqual(created.nextRunAt)
    expect(renamed.vehicleIds).toEqual([vehicleId])
    const before = Date.now()
    const monthly = await admin.reports.schedules.update({
      id: created.id,
      frequency: 'monthly',
      sendHour: 0,
      vehicleIds: null,
    })
    expect(monthly.nextRunAt.getTime()).toBe(
      findNextReportRun({ frequency: 'monthly', timeZone: 'America/New_York', sendHour: 0 }, before)
        .dueAt,
    )
    expect(monthly.vehicleIds).toBeNull()
    expect(await admin.reports.schedules.remove({ id: created.id })).toEqual({ id: created.id })
    const list = await admin.reports.schedules.list()
    expect(list.items.map((s) => s.id)).not.toContain(created.id)
  })

  it('rejects anonymous callers and members who are not admins', async () => {
    await expectTRPCError(api.anonymous().reports.schedules.list(), 'UNAUTHORIZED')
    await expectTRPCError(member.reports.schedules.list(), 'FORBIDDEN')
    await expectTRPCError(member.reports.schedules.create(valid()), 'FORBIDDEN')
    const created = await admin.reports.schedules.create(valid())
    await expectTRPCError(
      member.reports.schedules.update({ id: created.id, name: 'x' }),
      'FORBIDDEN',
    )
    await expectTRPCError(member.reports.schedules.remove({ id: created.id }), 'FORBIDDEN')
  })

  it("answers NOT_FOUND for another organization's schedule and leaves it unchanged", async () => {
    const created = await admin.reports.schedules.create(valid())
    await expectTRPCError(
      other.reports.schedules.update({ id: created.id, name: 'x' }),
      'NOT_FOUND',
    )
    await expectTRPCError(other.reports.schedules.remove({ id: created.id }), 'NOT_FOUND')
    expect((await other.reports.schedules.list()).items).toEqual([])
    const [row] = await api.deps.db
      .select()
      .from(reportSchedules)
      .where(eq(reportSchedules.id, created.id))
    expect(row?.name).toBe('Morning summary')
  })

  it("refuses another organization's recipients and vehicles by field, creating nothing", async () => {
    const count = await rowCount()
    const byUser = await expectTRPCError(
      admin.reports.schedules.create({ ...valid(), recipientUserIds: [otherUserId] }),
      'NOT_FOUND',
    )
    expect(byUser.cause).toMatchObject({ fieldErrors: { recipientUserIds: ['User not found'] } })
    const byVehicle = await expectTRPCError(
      admin.reports.schedules.create({ ...valid(), vehicleIds: [vehicleId, otherVehicleId] }),
      'NOT_FOUND',
    )
    expect(byVehicle.cause).toMatchObject({ fieldErrors: { vehicleIds: ['Vehicle not found'] } })
    expect(await rowCount()).toBe(count)
  })

  it('refuses bad input and changes nothing', async () => {
    const created = await admin.reports.schedules.create(valid())
    const count = await rowCount()
    const bad = [
      { ...valid(), name: '' },
      { ...valid(), name: 'x'.repeat(101) },
      { ...valid(), frequency: 'hourly' },
      { ...valid(), timeZone: 'Mars/Olympus_Mons' },
      { ...valid(), sendHour: 24 },
      { ...valid(), sendHour: 6.5 },
      { ...valid(), recipientUserIds: [] },
      { ...valid(), recipientUserIds: ['not-a-uuid'] },
      { ...valid(), vehicleIds: [] },
    ]
    for (const input of bad) {
      await expectTRPCError(admin.reports.schedules.create(input as never), 'BAD_REQUEST')
    }
    await expectTRPCError(
      admin.reports.schedules.update({ id: created.id, timeZone: 'Nowhere/Else' }),
      'BAD_REQUEST',
    )
    await expectTRPCError(
      admin.reports.schedules.update({ id: created.id, recipientUserIds: [otherUserId] }),
      'NOT_FOUND',
    )
    expect(await rowCount()).toBe(count)
    const [row] = await api.deps.db
      .select()
      .from(reportSchedules)
      .where(eq(reportSchedules.id, created.id))
    expect(row).toMatchObject({ timeZone: null, recipientUserIds: [adminId, memberId] })
  })

  it('stores markup in a name as text', async () => {
    const name = '<img src=x onerror=alert(1)> =cmd|calc'
    const created = await admin.reports.schedules.create({ ...valid(), name })
    expect(created.name).toBe(name)
  })
})
