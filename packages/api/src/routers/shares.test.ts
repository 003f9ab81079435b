import { randomUUID } from 'node:crypto'
import { hashOpaqueToken } from '@fms/auth'
import { eq } from '@fms/db'
import { shares, telemetry } from '@fms/db/schema'
import type { LivePoint } from '@fms/live'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInnerContext } from '../context.ts'
import { createCaller } from '../root.ts'
import { type Caller, createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(() => api?.close())

const HOUR = 3_600_000
const inAnHour = () => new Date(Date.now() + HOUR)

/** A caller holding a share token, from its own client address. */
function viewer(token: string, clientIp = '10.0.0.1') {
  return createCaller(createInnerContext(api.deps, { accessToken: token, clientIp }))
}

async function orgWithVehicles(count = 2) {
  const org = await api.registerOrg()
  const vehicles = []
  for (let i = 0; i < count; i++) {
    vehicles.push(
      await org.caller.vehicles.create({
        code: `V${i}-${randomUUID().slice(0, 6)}`,
        vin: makeVin(),
      }),
    )
  }
  return { ...org, vehicles }
}

async function insertPoint(orgId: string, vehicleId: string, time: Date, lat = 52.5) {
  await api.deps.db.insert(telemetry).values({
    time,
    orgId,
    deviceId: randomUUID(),
    vehicleId,
    lat,
    lon: 13.4,
    speed: 42,
    rpm: 2100,
  })
}

async function shareRow(id: string) {
  const [row] = await api.deps.db.select().from(shares).where(eq(shares.id, id))
  return row
}

describe('shares.create and shares.list', () => {
  it('answers a 256-bit token and its link, and shows the same link again in the list', async () => {
    const { caller, vehicles } = await orgWithVehicles()
    const created = await caller.shares.create({
      vehicleIds: [vehicles[0]!.id],
      expiresAt: inAnHour(),
      name: 'Delivery 42',
    })
    expect(created.token).toMatch(/^fsl_[A-Za-z0-9_-]{43}$/)
    expect(created.path).toBe(`/#/share/${created.token}`)
    expect(created).toMatchObject({ name: 'Delivery 42', isActive: true, revokedAt: null })
    const listed = await caller.shares.list()
    expect(listed.items.map((s) => [s.id, s.token])).toEqual([[created.id, created.token]])
  })

  it('stores only a nonce and the digest, never the token', async () => {
    const { caller, vehicles } = await orgWithVehicles()
    const created = await caller.shares.create({
      vehicleIds: [vehicles[0]!.id],
      expiresAt: inAnHour(),
    })
    const row = await shareRow(created.id)
    expect(row?.tokenDigest).toBe(hashOpaqueToken(created.token))
    expect(JSON.stringify(row)).not.toContain(created.token.slice(4))
    expect(JSON.stringify(await caller.shares.list())).not.toContain(hashOpaqueToken(created.token))
  })

  it("answers NOT_FOUND for another organization's vehicle and creates nothing", async () => {
    const a = await orgWithVehicles(1)
    const b = await orgWithVehicles(1)
    await expectTRPCError(
      a.caller.shares.create({
        vehicleIds: [a.vehicles[0]!.id, b.vehicles[0]!.id],
        expiresAt: inAnHour(),
      }),
      'NOT_FOUND',
    )
    expect((await a.caller.shares.list()).items).toEqual([])
  })

  it.each([
    ['an expiry in the past', { expiresAt: new Date(Date.now() - 1000) }],
    ['an expiry over 90 days ahead', { expiresAt: new Date(Date.now() + 91 * 86_400_000) }],
    ['no vehicle', { vehicleIds: [] }],
    ['a history start 8 days back', { includeHistoryFrom: new Date(Date.now() - 8 * 86_400_000) }],
    ['a history start in the future', { includeHistoryFrom: inAnHour() }],
  ])('refuses %s with BAD_REQUEST and creates nothing', async (_, patch) => {
    const { caller, vehicles } = await orgWithVehicles(1)
    await expectTRPCError(
      caller.shares.create({ vehicleIds: [vehicles[0]!.id], expiresAt: inAnHour(), ...patch }),
      'BAD_REQUEST',
    )
    expect((await caller.shares.list({ includeInactive: true })).items).toEqual([])
  })

  it("lets a user see and revoke only their own links; an admin sees and revokes everyone's", async () => {
    const { caller: admin, vehicles } = await orgWithVehicles(1)
    const alice = (await api.addUser(admin, 'user')).caller
    const bob = (await api.addUser(admin, 'user')).caller
    const vehicleIds = [vehicles[0]!.id]
    const ofAlice = await alice.shares.create({ vehicleIds, expiresAt: inAnHour() })
    const ofBob = await bob.shares.create({ vehicleIds, expiresAt: inAnHour() })
    expect((await alice.shares.list()).items.map((s) => s.id)).toEqual([ofAlice.id])
    expect((await admin.shares.list()).items.map((s) => s.id).sort()).toEqual(
      [ofAlice.id, ofBob.id].sort(),
    )
    await expectTRPCError(alice.shares.revoke({ id: ofBob.id }), 'NOT_FOUND')
    expect((await shareRow(ofBob.id))?.revokedAt).toBeNull()
    expect((await admin.shares.revoke({ id: ofBob.id })).isActive).toBe(false)
  })

  it("answers NOT_FOUND when revoking another organization's link", async () => {
    const a = await orgWithVehicles(1)
    const b = await orgWithVehicles(1)
    const link = await a.caller.shares.create({
      vehicleIds: [a.vehicles[0]!.id],
      expiresAt: inAnHour(),
    })
    await expectTRPCError(b.caller.shares.revoke({ id: link.id }), 'NOT_FOUND')
    expect((await shareRow(link.id))?.revokedAt).toBeNull()
  })
})

describe('shared.view', () => {
  it("shows the link's vehicles' positions from its creation on, and no other vehicle", async () => {
    const { caller, vehicles, session } = await orgWithVehicles(2)
    const [shared, other] = [vehicles[0]!, vehicles[1]!]
    const orgId = session.user.orgId
    await insertPoint(orgId, shared.id, new Date(Date.now() - 60_000), 51)
    await insertPoint(orgId, other.id, new Date(Date.now() - 1000))
    const link = await caller.shares.create({ vehicleIds: [shared.id], expiresAt: inAnHour() })
    const before = await viewer(link.token).shared.view()
    expect(before.vehicles).toEqual([
      expect.objectContaining({ vehicleId: shared.id, code: shared.code, time: null, lat: null }),
    ])
    const now = new Date(Date.now() + 10)
    await insertPoint(orgId, shared.id, now, 52.25)
    const after = await viewer(link.token).shared.view()
    expect(after.vehicles).toEqual([
      {
        vehicleId: shared.id,
        code: shared.code,
        plate: null,
        time: now,
        lat: 52.25,
        lon: 13.4,
        speed: 42,
        heading: null,
      },
    ])
    expect(JSON.stringify(after)).not.toContain(other.id)
    expect(JSON.stringify(after)).not.toContain('rpm')
  })

  it('shows no more than its creator may see now: a vehicle leaving their groups leaves the link', async () => {
    const { caller: admin, vehicles } = await orgWithVehicles(2)
    const [kept, moved] = [vehicles[0]!, vehicles[1]!]
    const depot = await admin.groups.create({ name: 'Depot', vehicleIds: [kept.id, moved.id] })
    const user = await api.addUser(admin, 'user')
    await admin.users.update({ id: user.user.id, groupIds: [depot.id] })
    const link = await user.caller.shares.create({
      vehicleIds: [kept.id, moved.id],
      expiresAt: inAnHour(),
    })
    const shown = async () =>
      (await viewer(link.token).shared.view()).vehicles.map((v) => v.vehicleId).sort()
    expect(await shown()).toEqual([kept.id, moved.id].sort())
    await admin.groups.update({ id: depot.id, vehicleIds: [kept.id] })
    expect(await shown()).toEqual([kept.id])
  })

  it("names the organization's distance unit, so the page shows speeds in it", async () => {
    const { caller, vehicles } = await orgWithVehicles(1)
    const link = await caller.shares.create({
      vehicleIds: [vehicles[0]!.id],
      expiresAt: inAnHour(),
    })
    expect((await viewer(link.token).shared.view()).distanceUnit).toBe('km')
    await caller.settings.update({ distanceUnit: 'mi' })
    expect((await viewer(link.token).shared.view()).distanceUnit).toBe('mi')
  })

  it('shows earlier positions when the creator chose a history start', async () => {
    const { caller, vehicles, session } = await orgWithVehicles(1)
    const time = new Date(Date.now() - 2 * HOUR)
    await insertPoint(session.user.orgId, vehicles[0]!.id, time, 50.5)
    const link = await caller.shares.create({
      vehicleIds: [vehicles[0]!.id],
      expiresAt: inAnHour(),
      includeHistoryFrom: new Date(Date.now() - 3 * HOUR),
    })
    const view = await viewer(link.token).shared.view()
    expect(view.vehicles[0]).toMatchObject({ time, lat: 50.5 })
  })

  it('refuses the link once revoked, and once expired', async () => {
    const { caller, vehicles } = await orgWithVehicles(1)
    const revoked = await caller.shares.create({
      vehicleIds: [vehicles[0]!.id],
      expiresAt: inAnHour(),
    })
    const expired = await caller.shares.create({
      vehicleIds: [vehicles[0]!.id],
      expiresAt: inAnHour(),
    })
    await viewer(revoked.token).shared.view()
    await caller.shares.revoke({ id: revoked.id })
    await expectTRPCError(viewer(revoked.token).shared.view(), 'UNAUTHORIZED')
    await api.deps.db
      .update(shares)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(shares.id, expired.id))
    await expectTRPCError(viewer(expired.token).shared.view(), 'UNAUTHORIZED')
    expect((await caller.shares.list()).items).toEqual([])
    expect((await caller.shares.list({ includeInactive: true })).items).toHaveLength(2)
  })

  it('refuses a token with one character changed', async () => {
    const { caller, vehicles } = await orgWithVehicles(1)
    const link = await caller.shares.create({
      vehicleIds: [vehicles[0]!.id],
      expiresAt: inAnHour(),
    })
    const changed = `${link.token.slice(0, 10)}${link.token[10] === 'A' ? 'B' : 'A'}${link.token.slice(11)}`
    await expectTRPCError(viewer(changed).shared.view(), 'UNAUTHORIZED')
  })

  it('answers TOO_MANY_REQUESTS to an address after many bad tokens, while others still work', async () => {
    const { caller, vehicles } = await orgWithVehicles(1)
    const link = await caller.shares.create({
      vehicleIds: [vehicles[0]!.id],
      expiresAt: inAnHour(),
    })
    const bad = `fsl_${'A'.repeat(43)}`
    for (let i = 0; i < 30; i++)
      await expectTRPCError(viewer(bad, '10.9.9.9').shared.view(), 'UNAUTHORIZED')
    await expectTRPCError(viewer(bad, '10.9.9.9').shared.view(), 'TOO_MANY_REQUESTS')
    await expectTRPCError(viewer(link.token, '10.9.9.9').shared.view(), 'TOO_MANY_REQUESTS')
    expect((await viewer(link.token, '10.8.8.8').shared.view()).vehicles).toHaveLength(1)
  })
})

describe('shared.live', () => {
  function point(vehicleId: string, time: number): LivePoint {
    return {
      vehicleId,
      deviceId: randomUUID(),
      time,
      lat: 52.5,
      lon: 13.4,
      speed: 30,
      heading: 90,
      rpm: 3000,
      fuel: 40,
      coolantTemp: 90,
      engineLoad: 50,
      odometer: 1000,
      ignition: true,
      status: null,
    }
  }

  it("streams only the link's vehicles, only positions, and nothing from before its start", async () => {
    const { caller, vehicles, session } = await orgWithVehicles(2)
    const [shared, other] = [vehicles[0]!, vehicles[1]!]
    const link = await caller.shares.create({ vehicleIds: [shared.id], expiresAt: inAnHour() })
    const stream = await viewer(link.token).shared.live({})
    const iterator = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]()
    const first = iterator.next()
    const orgId = session.user.orgId
    // Published until the frame arrives: the subscription joins the fan-out once it is iterated.
    let next: IteratorResult<unknown> | null = null
    void first.then((value) => {
      next = value
    })
    while (!next) {
      await api.deps.live.publish({
        orgId,
        kind: 'points',
        points: [
          point(other.id, Date.now()),
          point(shared.id, Date.now() - 2 * HOUR),
          point(shared.id, Date.now()),
        ],
      })
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const [, frame] = (next as IteratorResult<[string, { positions: Record<string, unknown>[] }]>)
      .value
    await iterator.return?.()
    expect(frame.positions.length).toBeGreaterThan(0)
    for (const position of frame.positions) {
      expect(Object.keys(position).sort()).toEqual([
        'heading',
        'lat',
        'lon',
        'speed',
        'time',
        'vehicleId',
      ])
      expect(position.vehicleId).toBe(shared.id)
      expect(position.time as number).toBeGreaterThanOrEqual(link.historyFrom.getTime())
    }
  })
})

describe('settings', () => {
  let admin: Caller
  let user: Caller

  beforeAll(async () => {
    admin = (await api.registerOrg()).caller
    user = (await api.addUser(admin, 'user')).caller
  })

  it('starts metric, UTC, weeks from Monday, with no overrides', async () => {
    expect(await user.settings.get()).toEqual({
      organization: {
        distanceUnit: 'km',
        volumeUnit: 'L',
        temperatureUnit: 'C',
        timeZone: 'UTC',
        weekStart: 'monday',
      },
      mine: {
        distanceUnit: null,
        volumeUnit: null,
        temperatureUnit: null,
        timeZone: null,
        weekStart: null,
      },
      effective: {
        distanceUnit: 'km',
        volumeUnit: 'L',
        temperatureUnit: 'C',
        timeZone: 'UTC',
        weekStart: 'monday',
      },
    })
  })

  it("applies the organization's defaults and each user's own choices over them", async () => {
    await admin.settings.update({
      distanceUnit: 'mi',
      volumeUnit: 'gal',
      timeZone: 'America/Chicago',
    })
    await user.settings.updateMine({
      distanceUnit: 'km',
      temperatureUnit: 'F',
      weekStart: 'sunday',
    })
    expect((await user.settings.get()).effective).toEqual({
      distanceUnit: 'km',
      volumeUnit: 'gal',
      temperatureUnit: 'F',
      timeZone: 'America/Chicago',
      weekStart: 'sunday',
    })
    expect((await admin.settings.get()).effective.distanceUnit).toBe('mi')
    await user.settings.updateMine({ distanceUnit: null })
    expect((await user.settings.get()).effective.distanceUnit).toBe('mi')
  })

  it.each([
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }],
    ['an unknown unit', { distanceUnit: 'furlong' }],
    ['an unknown field', { currency: 'EUR' }],
  ])('refuses %s with BAD_REQUEST and changes nothing', async (_, input) => {
    const before = await admin.settings.get()
    await expectTRPCError(admin.settings.update(input as never), 'BAD_REQUEST')
    await expectTRPCError(user.settings.updateMine(input as never), 'BAD_REQUEST')
    expect(await admin.settings.get()).toEqual(before)
  })

  it('lets only an admin change the organization defaults', async () => {
    await expectTRPCError(user.settings.update({ distanceUnit: 'km' }), 'FORBIDDEN')
  })

  it("never changes another organization's settings", async () => {
    const other = (await api.registerOrg()).caller
    await admin.settings.update({ temperatureUnit: 'F' })
    expect((await other.settings.get()).organization.temperatureUnit).toBe('C')
  })
})
