import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appRouter } from './root.ts'
import { type Caller, createTestApi, expectTRPCError, makeVin, type TestApi } from './testing.ts'

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
const READABLE_BY_USER = new Set([
  'auth.me',
  'auth.requestVerification',
  'auth.twoFactor.status',
  'auth.twoFactor.enrol',
  'auth.twoFactor.confirm',
  'auth.twoFactor.disable',
  'auth.sessions',
  'auth.revokeSession',
  'auth.revokeOtherSessions',
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
  'commands.list',
  'shares.list',
  'shares.create',
  'shares.revoke',
  'settings.get',
  'settings.updateMine',
])
/** Callable with a share link's token only: an access token, whatever its role, is refused. */
const SHARE_ONLY = new Set(['shared.view', 'shared.live'])
const PROCEDURES = Object.keys(appRouter._def.procedures)

function call(caller: Caller, path: string): Promise<unknown> {
  let target: unknown = caller
  for (const key of path.split('.')) target = (target as Record<string, unknown>)[key]
  return (target as (input: unknown) => Promise<unknown>)({})
}

let api: TestApi
let user: Caller
let readKey: Caller
let writeKeySecret: string
let shareToken: string

beforeAll(async () => {
  api = await createTestApi()
  const org = await api.registerOrg()
  user = (await api.addUser(org.caller, 'user')).caller
  readKey = api.withApiKey((await org.caller.apiKeys.create({ name: 'BI', scope: 'read' })).secret)
  writeKeySecret = (await org.caller.apiKeys.create({ name: 'ERP', scope: 'write' })).secret
  const vehicle = await org.caller.vehicles.create({ code: 'SHARED-1', vin: makeVin() })
  const share = await org.caller.shares.create({
    vehicleIds: [vehicle.id],
    expiresAt: new Date(Date.now() + 3_600_000),
  })
  shareToken = share.token
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
        'audit.list',
        'audit.csv',
        'sso.get',
        'sso.update',
        'sso.remove',
        'auth.ssoOptions',
        'auth.ssoExchange',
        'auth.verifySecondFactor',
        'auth.twoFactor.enrol',
        'auth.twoFactor.setPolicy',
        'auth.sessions',
        'auth.revokeSession',
        'auth.revokeOtherSessions',
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
        'apiKeys.list',
        'apiKeys.create',
        'apiKeys.revoke',
        'shares.create',
        'shares.list',
        'shares.revoke',
        'shared.view',
        'shared.live',
        'settings.get',
        'settings.update',
        'settings.updateMine',
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

  it.each(PROCEDURES.filter((p) => !PUBLIC.has(p) && !SHARE_ONLY.has(p)))(
    'refuses a working share link token on %s',
    async (path) => {
      await expectTRPCError(call(api.withToken(shareToken), path), 'UNAUTHORIZED')
    },
  )

  it.each([...SHARE_ONLY])('refuses a signed-in user on %s', async (path) => {
    await expectTRPCError(call(user, path), 'UNAUTHORIZED')
  })

  it.each(
    PROCEDURES.filter((p) => !PUBLIC.has(p) && !READABLE_BY_USER.has(p) && !SHARE_ONLY.has(p)),
  )('answers FORBIDDEN to the user role on %s', async (path) => {
    await expectTRPCError(call(user, path), 'FORBIDDEN')
  })
})

describe('integrator API keys across the whole router', () => {
  const MUTATIONS = PROCEDURES.filter((path) => {
    const procedure = (
      appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>
    )[path]
    return !PUBLIC.has(path) && procedure?._def.type === 'mutation'
  })

  it.each(MUTATIONS)('answers FORBIDDEN to a read-scope key on %s', async (path) => {
    await expectTRPCError(call(readKey, path), 'FORBIDDEN')
  })

  it.each(PROCEDURES.filter((p) => !PUBLIC.has(p)))(
    'refuses a valid key where keys are not taken (tRPC) on %s',
    async (path) => {
      await expectTRPCError(call(api.withToken(writeKeySecret), path), 'UNAUTHORIZED')
    },
  )
})
