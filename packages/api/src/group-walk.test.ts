import { randomUUID } from 'node:crypto'
import { insertTelemetry } from '@fms/db/queries/activity'
import { upsertAlerts } from '@fms/db/queries/alerts'
import { TRPCError } from '@trpc/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appRouter } from './root.ts'
import { type Caller, createTestApi, expectTRPCError, makeVin, type TestApi } from './testing.ts'

/**
 * The group walk: a user limited to group A calls every procedure, naming group B's vehicle (and
 * the ids of what hangs on it: its device, its alert, group B itself) and with ordinary inputs;
 * each call is NOT_FOUND (or refused) or answers nothing of B's. The admin's answers to the same
 * calls do hold B's vehicle, so its absence means something.
 */
const PUBLIC = new Set([
  'auth.register',
  'auth.login',
  'auth.verifySecondFactor',
  'auth.refresh',
  'auth.logout',
  'auth.emailStatus',
  'auth.verifyEmail',
  'auth.requestPasswordReset',
  'auth.resetPassword',
  'auth.ssoOptions',
  'auth.ssoExchange',
])
// `shared.*` take a share link's token only (a user's is refused): their scope is the link's,
// walked in shares.test.ts.
const PROCEDURES = Object.keys(appRouter._def.procedures).filter(
  (p) => !PUBLIC.has(p) && !p.startsWith('shared.'),
)
const DAY = '2026-11-02'
const START = Date.UTC(2026, 10, 2, 8)

/** Inputs most procedures accept (zod drops the keys a procedure doesn't take). */
const ORDINARY_INPUTS = [
  {},
  { from: DAY, to: DAY, day: DAY },
  { from: new Date(START - 3_600_000), to: new Date(START + 3_600_000) },
]

/** The procedures whose ordinary answers must hold B's vehicle for the admin (not vacuous). */
const MUST_SHOW_TO_ADMIN = [
  'vehicles.list',
  'devices.list',
  'telemetry.latest',
  'alerts.list',
  'alerts.csv',
  'reports.trips',
  'reports.daily',
  'reports.tripsCsv',
  'fleet.overview',
  'maintenance.readings',
  'groups.list',
]

let api: TestApi
let admin: Caller
let limited: Caller
/** Ids of group B's side: none may reach the limited user. */
const hidden: Record<string, string> = {}
let visibleVehicle = ''

function call(caller: Caller, path: string, input: unknown): Promise<unknown> {
  let target: unknown = caller
  for (const key of path.split('.')) target = (target as Record<string, unknown>)[key]
  return (target as (input: unknown) => Promise<unknown>)(input)
}

/** The answer as text (a subscription is stopped at once: its stream is walked over WebSocket). */
async function answerText(result: unknown): Promise<string> {
  if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
    await (result as unknown as AsyncIterator<unknown>).return?.()
    return ''
  }
  return JSON.stringify(result) ?? ''
}

/** Calls and answers the text of a success, or null for a refusal (a TRPCError). */
async function tryCall(caller: Caller, path: string, input: unknown): Promise<string | null> {
  try {
    return await answerText(await call(caller, path, input))
  } catch (error) {
    if (error instanceof TRPCError) return null
    throw error
  }
}

function driveFrom(start: number) {
  return Array.from({ length: 120 }, (_, i) => ({
    time: new Date(start + i * 10_000),
    lat: 52 + (i > 10 && i < 100 ? i * 0.0015 : 0),
    lon: 13,
    speed: i > 10 && i < 100 ? 60 : 0,
    ignition: true,
    fuel: 50,
  }))
}

beforeAll(async () => {
  api = await createTestApi()
  const org = await api.registerOrg()
  admin = org.caller
  const orgId = org.session.user.orgId
  const a = await admin.vehicles.create({ code: 'A-1', vin: makeVin() })
  const b = await admin.vehicles.create({ code: 'B-1', vin: makeVin() })
  const loose = await admin.vehicles.create({ code: 'NO-GROUP', vin: makeVin() })
  const groupA = await admin.groups.create({ name: 'Depot A', vehicleIds: [a.id] })
  const groupB = await admin.groups.create({ name: 'Depot B', vehicleIds: [b.id] })
  const device = await admin.devices.create({ macAddress: 'AA:BB:CC:00:11:22', vehicleId: b.id })
  await admin.devices.create({ macAddress: 'AA:BB:CC:00:11:33', vehicleId: a.id })
  for (const vehicle of [a, b, loose]) {
    await insertTelemetry(
      api.deps.db,
      driveFrom(START).map((p) => ({ ...p, orgId, deviceId: randomUUID(), vehicleId: vehicle.id })),
    )
  }
  const alertRow = (vehicleId: string) => ({
    orgId,
    vehicleId,
    ruleId: null,
    kind: 'overspeed',
    key: `overspeed:${vehicleId}:${START}`,
    time: new Date(START + 300_000),
    endTime: null,
    emittedAt: new Date(START + 300_000),
    value: 99,
    message: 'overspeed',
  })
  const [, alertB] = await upsertAlerts(api.deps.db, [alertRow(a.id), alertRow(b.id)])
  await admin.rules.create({ kind: 'overspeed', threshold: 90, vehicleId: b.id })
  await admin.maintenance.create({ name: 'Oil B', vehicleId: b.id, everyKm: 10_000 })
  await admin.fuel.create({ vehicleId: b.id, time: new Date(START), litres: 40 })
  const driver = await admin.drivers.create({ name: 'Driver of B' })
  await admin.drivers.assign({
    driverId: driver.id,
    vehicleId: b.id,
    from: new Date(START - 60_000),
  })
  const user = await api.addUser(admin, 'user')
  await admin.users.update({ id: user.user.id, groupIds: [groupA.id] })
  limited = user.caller
  visibleVehicle = a.id
  Object.assign(hidden, {
    vehicleB: b.id,
    vehicleWithoutGroup: loose.id,
    deviceOfB: device.id,
    groupB: groupB.id,
    ...(alertB ? { alertOfB: alertB.id } : {}),
  })
}, 60_000)
afterAll(() => api?.close())

describe('a user limited to vehicle groups', () => {
  it.each(PROCEDURES)('gets NOT_FOUND from %s for another group’s vehicle', async (path) => {
    const error = await tryCallError(limited, path, {
      vehicleId: hidden.vehicleB,
      vehicleIds: [hidden.vehicleB],
    })
    expect(error?.code).toBe('NOT_FOUND')
  })

  it.each(PROCEDURES)('gets nothing of another group from %s', async (path) => {
    const inputs = [
      ...ORDINARY_INPUTS,
      ...Object.values(hidden).map((id) => ({ id })),
      ...Object.values(hidden).map((id) => ({ id, from: DAY, to: DAY })),
    ]
    for (const input of inputs) {
      const text = await tryCall(limited, path, input)
      if (text === null) continue
      for (const [what, id] of Object.entries(hidden)) {
        expect(text, `${path}(${JSON.stringify(input)}) shows ${what}`).not.toContain(id)
      }
    }
  })

  it.each(MUST_SHOW_TO_ADMIN)(
    'sees its own group’s vehicle in %s, the admin both',
    async (path) => {
      const answers = async (caller: Caller) =>
        (await Promise.all(ORDINARY_INPUTS.map((input) => tryCall(caller, path, input)))).join('\n')
      const adminText = await answers(admin)
      expect(adminText).toContain(hidden.vehicleB)
      const userText = await answers(limited)
      if (path !== 'groups.list') expect(userText).toContain(visibleVehicle)
      expect(userText).not.toContain(hidden.vehicleB)
    },
  )

  it('reads its own group’s vehicle by id, and not the others', async () => {
    await expect(limited.vehicles.byId({ id: visibleVehicle })).resolves.toMatchObject({
      id: visibleVehicle,
    })
    await expectTRPCError(limited.vehicles.byId({ id: hidden.vehicleB! }), 'NOT_FOUND')
    await expectTRPCError(limited.vehicles.byId({ id: hidden.vehicleWithoutGroup! }), 'NOT_FOUND')
    await expectTRPCError(limited.devices.byId({ id: hidden.deviceOfB! }), 'NOT_FOUND')
    await expectTRPCError(limited.groups.byId({ id: hidden.groupB! }), 'NOT_FOUND')
    await expectTRPCError(limited.alerts.acknowledge({ id: hidden.alertOfB! }), 'NOT_FOUND')
  })
})

async function tryCallError(caller: Caller, path: string, input: unknown) {
  try {
    await answerText(await call(caller, path, input))
    return null
  } catch (error) {
    if (error instanceof TRPCError) return error
    throw error
  }
}
