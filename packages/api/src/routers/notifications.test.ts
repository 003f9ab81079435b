import { eq } from '@fms/db'
import { upsertAlerts } from '@fms/db/queries/alerts'
import { pruneNotifications } from '@fms/db/queries/notifications'
import { notifications } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queueAlertNotifications } from '../services/notifications.ts'
import { type Caller, createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi
let counter = 0

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(() => api?.close())

async function makeOrg() {
  const org = await api.registerOrg()
  const me = await org.caller.auth.me()
  const vehicle = await org.caller.vehicles.create({ code: `N${++counter}`, vin: makeVin() })
  return { ...org, me, vehicle }
}

/** Stores alerts as the rules worker does and fans them out in the same transaction. */
async function raise(
  orgId: string,
  vehicleId: string,
  kind: string,
  options: { isEmailEnabled?: boolean; now?: number; key?: string } = {},
) {
  const time = new Date()
  return api.deps.db.transaction(async (tx) => {
    const stored = await upsertAlerts(tx, [
      {
        orgId,
        vehicleId,
        ruleId: null,
        kind,
        key: options.key ?? `${kind}:${vehicleId}:${++counter}`,
        time,
        endTime: null,
        emittedAt: time,
        value: 1,
        message: `${kind} <b>now</b>`,
      },
    ])
    const live = await queueAlertNotifications(tx, {
      orgId,
      stored,
      retracted: [],
      isEmailEnabled: options.isEmailEnabled ?? true,
      now: options.now,
    })
    return { stored, live }
  })
}

describe('notifications.subscriptions', () => {
  it('creates, lists, updates and removes the caller’s own subscriptions', async () => {
    const org = await makeOrg()
    const created = await org.caller.notifications.subscriptions.create({
      kinds: ['overspeed', 'overspeed'],
      vehicleIds: [org.vehicle.id],
      channels: ['email'],
      timeZone: 'Europe/Berlin',
      quietHours: { from: '22:00', to: '06:30' },
      digestMinutes: 15,
    })
    expect(created).toMatchObject({
      kinds: ['overspeed'],
      vehicleIds: [org.vehicle.id],
      channels: ['email'],
      timeZone: 'Europe/Berlin',
      quietHours: { from: '22:00', to: '06:30' },
      digestMinutes: 15,
      isEnabled: true,
    })
    const updated = await org.caller.notifications.subscriptions.update({
      id: created.id,
      quietHours: null,
      vehicleIds: null,
      channels: ['in_app'],
    })
    expect(updated).toMatchObject({
      quietHours: null,
      vehicleIds: null,
      channels: ['in_app'],
      digestMinutes: 15,
      kinds: ['overspeed'],
    })
    expect(await org.caller.notifications.subscriptions.list()).toEqual([updated])
    await org.caller.notifications.subscriptions.remove({ id: created.id })
    expect(await org.caller.notifications.subscriptions.list()).toEqual([])
  })

  it('defaults to every kind and vehicle, in-app and email', async () => {
    const org = await makeOrg()
    const created = await org.caller.notifications.subscriptions.create({})
    expect(created).toMatchObject({
      kinds: [],
      vehicleIds: null,
      channels: ['in_app', 'email'],
      quietHours: null,
      digestMinutes: null,
    })
  })

  it('keeps each user’s subscriptions to themselves, also from their admin and other orgs', async () => {
    const org = await makeOrg()
    const colleague = await api.addUser(org.caller, 'user')
    const other = await makeOrg()
    const mine = await colleague.caller.notifications.subscriptions.create({})
    for (const caller of [org.caller, other.caller] as Caller[]) {
      expect(await caller.notifications.subscriptions.list()).toEqual([])
      await expectTRPCError(
        caller.notifications.subscriptions.update({ id: mine.id, isEnabled: false }),
        'NOT_FOUND',
      )
      await expectTRPCError(caller.notifications.subscriptions.remove({ id: mine.id }), 'NOT_FOUND')
    }
    expect(await colleague.caller.notifications.subscriptions.list()).toEqual([mine])
  })

  it('refuses another organization’s vehicle and bad input, storing nothing', async () => {
    const org = await makeOrg()
    const other = await makeOrg()
    const error = await expectTRPCError(
      org.caller.notifications.subscriptions.create({ vehicleIds: [other.vehicle.id] }),
      'NOT_FOUND',
    )
    expect(JSON.stringify(error.cause ?? error)).not.toContain(other.vehicle.code)
    const bad: unknown[] = [
      { channels: [] },
      { kinds: ['not-a-kind'] },
      { quietHours: { from: '22:00', to: '22:00' } },
      { quietHours: { from: '25:00', to: '06:00' } },
      { digestMinutes: 1 },
      { timeZone: 'Mars/Olympus' },
      { vehicleIds: [] },
    ]
    for (const input of bad) {
      await expectTRPCError(
        org.caller.notifications.subscriptions.create(input as never),
        'BAD_REQUEST',
      )
    }
    expect(await org.caller.notifications.subscriptions.list()).toEqual([])
  })

  it('caps the subscriptions of one user', async () => {
    const org = await makeOrg()
    await Promise.all(
      Array.from({ length: 50 }, () => org.caller.notifications.subscriptions.create({})),
    )
    await expectTRPCError(org.caller.notifications.subscriptions.create({}), 'BAD_REQUEST')
    expect(await org.caller.notifications.subscriptions.list()).toHaveLength(50)
  })
})

describe('fanning alerts out', () => {
  it('tells each subscriber once per episode, by kind and vehicle, and lists it in-app', async () => {
    const org = await makeOrg()
    const second = await org.caller.vehicles.create({ code: `N${++counter}`, vin: makeVin() })
    const colleague = await api.addUser(org.caller, 'user')
    const colleagueMe = await colleague.caller.auth.me()
    // Two matching subscriptions of one user: still one notification.
    await org.caller.notifications.subscriptions.create({ kinds: ['overspeed'] })
    await org.caller.notifications.subscriptions.create({ vehicleIds: [org.vehicle.id] })
    await colleague.caller.notifications.subscriptions.create({
      kinds: ['idle'],
      vehicleIds: [second.id],
    })

    const speeding = await raise(org.me.orgId, org.vehicle.id, 'overspeed')
    expect(speeding.live.map((n) => n.userId)).toEqual([org.me.id])
    // A later version of the same episode adds nothing.
    const again = await raise(org.me.orgId, org.vehicle.id, 'overspeed', {
      key: speeding.stored[0]?.key,
    })
    expect(again.live).toEqual([])
    // Idle on the first vehicle: only the admin's all-kinds subscription for it matches.
    const idleFirst = await raise(org.me.orgId, org.vehicle.id, 'idle')
    expect(idleFirst.live.map((n) => n.userId)).toEqual([org.me.id])
    const idleSecond = await raise(org.me.orgId, second.id, 'idle')
    expect(idleSecond.live.map((n) => n.userId)).toEqual([colleagueMe.id])

    const page = await org.caller.notifications.list()
    expect(page.items.map((n) => n.kind)).toEqual(['idle', 'overspeed'])
    expect(page.items[0]).toMatchObject({
      vehicleCode: org.vehicle.code,
      message: 'idle <b>now</b>',
      readAt: null,
      isRetracted: false,
    })
    expect(await org.caller.notifications.unreadCount()).toEqual({ count: 2 })
    expect((await colleague.caller.notifications.list()).items).toHaveLength(1)
  })

  it('marks read by id (own only) or all', async () => {
    const org = await makeOrg()
    const other = await makeOrg()
    await org.caller.notifications.subscriptions.create({})
    await other.caller.notifications.subscriptions.create({})
    for (let i = 0; i < 3; i++) await raise(org.me.orgId, org.vehicle.id, 'harsh')
    await raise(other.me.orgId, other.vehicle.id, 'harsh')
    const [first] = (await org.caller.notifications.list()).items
    const theirs = (await other.caller.notifications.list()).items[0]
    expect(
      await org.caller.notifications.markRead({ ids: [first?.id ?? '', theirs?.id ?? ''] }),
    ).toEqual({ updated: 1 })
    expect(await other.caller.notifications.unreadCount()).toEqual({ count: 1 })
    expect(await org.caller.notifications.unreadCount()).toEqual({ count: 2 })
    const unread = await org.caller.notifications.list({ unreadOnly: true })
    expect(unread.items.map((n) => n.id)).not.toContain(first?.id)
    expect(await org.caller.notifications.markRead({ all: true })).toEqual({ updated: 2 })
    expect(await org.caller.notifications.unreadCount()).toEqual({ count: 0 })
  })

  it('stops counting a notification as unread once its alert is withdrawn', async () => {
    const org = await makeOrg()
    await org.caller.notifications.subscriptions.create({})
    const { stored } = await raise(org.me.orgId, org.vehicle.id, 'harsh')
    await raise(org.me.orgId, org.vehicle.id, 'harsh')
    expect(await org.caller.notifications.unreadCount()).toEqual({ count: 2 })
    await api.deps.db.transaction((tx) =>
      queueAlertNotifications(tx, {
        orgId: org.me.orgId,
        stored: [],
        retracted: stored,
        isEmailEnabled: true,
      }),
    )
    expect(await org.caller.notifications.unreadCount()).toEqual({ count: 1 })
    const listed = (await org.caller.notifications.list()).items
    expect(listed.map((n) => n.isRetracted).sort()).toEqual([false, true])
    const unread = (await org.caller.notifications.list({ unreadOnly: true })).items
    expect(unread.map((n) => n.isRetracted)).toEqual([false])
  })

  it('pages the list with a cursor', async () => {
    const org = await makeOrg()
    await org.caller.notifications.subscriptions.create({ channels: ['in_app'] })
    for (let i = 0; i < 5; i++) await raise(org.me.orgId, org.vehicle.id, 'overheat')
    const first = await org.caller.notifications.list({ limit: 3 })
    expect(first.items).toHaveLength(3)
    const second = await org.caller.notifications.list({ limit: 3, cursor: first.nextCursor ?? '' })
    expect(second.items).toHaveLength(2)
    expect(second.nextCursor).toBeNull()
    const ids = new Set([...first.items, ...second.items].map((n) => n.id))
    expect(ids.size).toBe(5)
    await expectTRPCError(org.caller.notifications.list({ cursor: 'garbage' }), 'BAD_REQUEST')
  })

  it('plans email only when the server sends email, due by the subscription’s timing', async () => {
    const org = await makeOrg()
    await org.caller.notifications.subscriptions.create({ channels: ['email'], digestMinutes: 60 })
    const now = Date.parse('2026-07-01T10:20:00Z')
    const on = await raise(org.me.orgId, org.vehicle.id, 'low_fuel', { now })
    const off = await raise(org.me.orgId, org.vehicle.id, 'low_fuel', { isEmailEnabled: false })
    // Email-only subscriptions show nothing in the app.
    expect(on.live).toEqual([])
    const rows = await api.deps.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, org.me.id))
    const byAlert = new Map(rows.map((row) => [row.alertId, row]))
    expect(byAlert.get(on.stored[0]?.id ?? '')).toMatchObject({
      emailState: 'pending',
      emailDueAt: new Date('2026-07-01T11:00:00Z'),
      isInApp: false,
    })
    // Without email the email-only subscription has nothing left to send.
    expect(byAlert.has(off.stored[0]?.id ?? '')).toBe(false)
    expect((await org.caller.notifications.list()).items).toEqual([])
  })

  it('keeps notifications for a while, never those whose email is still pending', async () => {
    const org = await makeOrg()
    await org.caller.notifications.subscriptions.create({})
    const old = await raise(org.me.orgId, org.vehicle.id, 'offline', { isEmailEnabled: false })
    const waiting = await raise(org.me.orgId, org.vehicle.id, 'offline', { now: Date.now() + 1e9 })
    const fresh = await raise(org.me.orgId, org.vehicle.id, 'offline', { isEmailEnabled: false })
    const longAgo = new Date(Date.now() - 100 * 86_400_000)
    for (const raised of [old, waiting]) {
      await api.deps.db
        .update(notifications)
        .set({ createdAt: longAgo })
        .where(eq(notifications.alertId, raised.stored[0]?.id ?? ''))
    }
    await pruneNotifications(api.deps.db, {
      notificationsBefore: new Date(Date.now() - 90 * 86_400_000),
      emailsBefore: new Date(Date.now() - 30 * 86_400_000),
    })
    const left = (await org.caller.notifications.list()).items.map((n) => n.alertId)
    expect(left.sort()).toEqual([waiting.stored[0]?.id, fresh.stored[0]?.id].sort())
    // With email turned off since, the old one still waiting for its email goes too.
    await pruneNotifications(api.deps.db, {
      notificationsBefore: new Date(Date.now() - 90 * 86_400_000),
      emailsBefore: new Date(Date.now() - 30 * 86_400_000),
      isEmailEnabled: false,
    })
    const still = (await org.caller.notifications.list()).items.map((n) => n.alertId)
    expect(still).toEqual([fresh.stored[0]?.id])
  })

  it('says whether email is on', async () => {
    const org = await makeOrg()
    expect(await org.caller.notifications.emailStatus()).toEqual({ isEmailEnabled: false })
  })
})
