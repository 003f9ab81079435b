import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appRouter } from './root.ts'
import { type Caller, createTestApi, expectTRPCError, type TestApi } from './testing.ts'

const PUBLIC = new Set([
  'auth.register',
  'auth.login',
  'auth.refresh',
  'auth.logout',
  'auth.emailStatus',
  'auth.verifyEmail',
  'auth.requestPasswordReset',
  'auth.resetPassword',
])
const READABLE_BY_USER = new Set([
  'auth.me',
  'auth.requestVerification',
  'vehicles.list',
  'vehicles.byId',
  'groups.list',
  'groups.byId',
  'devices.list',
  'devices.byId',
  'telemetry.latest',
  'telemetry.history',
  'telemetry.points',
  'telemetry.live',
  'fleet.changes',
  'fleet.overview',
  'geofences.list',
  'geofences.byId',
  'rules.list',
  'alerts.list',
  'alerts.acknowledge',
  'alerts.live',
  'alerts.csv',
  'reports.trips',
  'reports.lowFuel',
  'reports.stationary',
  'reports.longDriving',
  'reports.daily',
  'reports.tripsCsv',
  'reports.drivers',
  'drivers.list',
  'drivers.byId',
  'drivers.assignments',
  'drivers.current',
  'drivers.scoreWeights',
  'maintenance.list',
  'maintenance.complete',
  'maintenance.history',
  'maintenance.historyCsv',
  'maintenance.readings',
  'fuel.list',
  'fuel.create',
  'notifications.subscriptions.list',
  'notifications.subscriptions.create',
  'notifications.subscriptions.update',
  'notifications.subscriptions.remove',
  'notifications.list',
  'notifications.unreadCount',
  'notifications.markRead',
  'notifications.emailStatus',
  'notifications.live',
])
const PROCEDURES = Object.keys(appRouter._def.procedures)

function call(caller: Caller, path: string): Promise<unknown> {
  let target: unknown = caller
  for (const key of path.split('.')) target = (target as Record<string, unknown>)[key]
  return (target as (input: unknown) => Promise<unknown>)({})
}

let api: TestApi
let user: Caller

beforeAll(async () => {
  api = await createTestApi()
  const org = await api.registerOrg()
  user = (await api.addUser(org.caller, 'user')).caller
})
afterAll(() => api?.close())

describe('the whole router', () => {
  it('lists the procedures of the design card', () => {
    expect(PROCEDURES).toEqual(
      expect.arrayContaining([
        'auth.register',
        'auth.login',
        'auth.refresh',
        'auth.logout',
        'auth.me',
        'auth.emailStatus',
        'auth.verifyEmail',
        'auth.requestPasswordReset',
        'auth.resetPassword',
        'auth.requestVerification',
        'users.list',
        'users.create',
        'users.update',
        'users.remove',
        'vehicles.list',
        'vehicles.byId',
        'vehicles.create',
        'vehicles.update',
        'vehicles.remove',
        'groups.list',
        'groups.byId',
        'groups.create',
        'groups.update',
        'groups.remove',
        'devices.list',
        'devices.byId',
        'devices.create',
        'devices.update',
        'devices.remove',
        'tokens.list',
        'tokens.create',
        'tokens.update',
        'tokens.revoke',
        'tokens.rotate',
        'telemetry.latest',
        'telemetry.history',
        'telemetry.live',
        'fleet.changes',
        'webhooks.list',
        'webhooks.create',
        'webhooks.update',
        'webhooks.remove',
        'webhooks.deliveries',
        'webhooks.test',
        'drivers.list',
        'drivers.byId',
        'drivers.create',
        'drivers.update',
        'drivers.remove',
        'drivers.assign',
        'drivers.unassign',
        'drivers.assignments',
        'reports.drivers',
        'reports.schedules.list',
        'reports.schedules.create',
        'reports.schedules.update',
        'reports.schedules.remove',
        'maintenance.list',
        'maintenance.create',
        'maintenance.update',
        'maintenance.remove',
        'maintenance.complete',
        'maintenance.history',
        'fuel.list',
        'fuel.create',
        'fuel.remove',
        'notifications.subscriptions.list',
        'notifications.subscriptions.create',
        'notifications.subscriptions.update',
        'notifications.subscriptions.remove',
        'notifications.list',
        'notifications.markRead',
        'notifications.live',
      ]),
    )
  })

  it.each(PROCEDURES.filter((p) => !PUBLIC.has(p)))(
    'rejects anonymous calls to %s',
    async (path) => {
      await expectTRPCError(call(api.anonymous(), path), 'UNAUTHORIZED')
    },
  )

  it.each(PROCEDURES.filter((p) => !PUBLIC.has(p)))(
    'rejects a forged token on %s',
    async (path) => {
      await expectTRPCError(call(api.withToken('eyJhbGciOiJub25lIn0.e30.'), path), 'UNAUTHORIZED')
    },
  )

  it.each(PROCEDURES.filter((p) => !PUBLIC.has(p) && !READABLE_BY_USER.has(p)))(
    'answers FORBIDDEN to the user role on %s',
    async (path) => {
      await expectTRPCError(call(user, path), 'FORBIDDEN')
    },
  )
})
