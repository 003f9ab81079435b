import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInnerContext } from '../context.ts'
import { createCaller } from '../root.ts'
import { createTestApi, expectTRPCError, type TestApi } from '../testing.ts'

let api: TestApi

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(() => api?.close())

describe('apiKeys', () => {
  it('acts as the admin who created it, within its scope', async () => {
    const org = await api.registerOrg()
    const key = await org.caller.apiKeys.create({ name: 'ERP', scope: 'write' })
    expect(key).toMatchObject({ name: 'ERP', scope: 'write', createdBy: org.session.user.id })
    const asKey = api.withApiKey(key.secret)
    expect(await asKey.auth.me()).toMatchObject({ id: org.session.user.id, role: 'admin' })
    const vehicle = await asKey.vehicles.create({ code: 'K-1', vin: '1HGCM82633A004352' })
    expect(vehicle.orgId).toBe(org.session.user.orgId)
  })

  it('stops working when its creator is demoted or removed', async () => {
    const org = await api.registerOrg()
    const second = await api.addUser(org.caller, 'admin')
    const key = await second.caller.apiKeys.create({ name: 'BI', scope: 'read' })
    expect((await api.withApiKey(key.secret).vehicles.list()).items).toEqual([])
    await org.caller.users.update({ id: second.user.id, role: 'user' })
    await expectTRPCError(api.withApiKey(key.secret).vehicles.list(), 'UNAUTHORIZED')
    await org.caller.users.update({ id: second.user.id, role: 'admin' })
    expect((await api.withApiKey(key.secret).vehicles.list()).items).toEqual([])
    await org.caller.users.remove({ id: second.user.id })
    await expectTRPCError(api.withApiKey(key.secret).vehicles.list(), 'UNAUTHORIZED')
  })

  it("can't revoke another organization's key, and lists only its own", async () => {
    const mine = await api.registerOrg()
    const theirs = await api.registerOrg()
    const key = await theirs.caller.apiKeys.create({ name: 'Theirs', scope: 'write' })
    await expectTRPCError(mine.caller.apiKeys.revoke({ id: key.id }), 'NOT_FOUND')
    expect((await mine.caller.apiKeys.list()).items).toEqual([])
    expect((await api.withApiKey(key.secret).vehicles.list()).items).toEqual([])
    const revoked = await theirs.caller.apiKeys.revoke({ id: key.id })
    expect(revoked.revokedAt).not.toBeNull()
    await expectTRPCError(theirs.caller.apiKeys.revoke({ id: key.id }), 'NOT_FOUND')
    expect((await theirs.caller.apiKeys.list()).items).toEqual([])
    expect((await theirs.caller.apiKeys.list({ includeRevoked: true })).items).toHaveLength(1)
  })

  it('refuses a bad name, scope or expiry and stores nothing', async () => {
    const org = await api.registerOrg()
    const bad = [
      { name: '', scope: 'read' },
      { name: 'X', scope: 'admin' },
      { name: 'X', scope: 'read', expiresAt: new Date(Date.now() - 1000) },
      { name: 'X', scope: 'read', expiresAt: 'not a date' },
      { name: 'X', scope: 'read', expiresAt: new Date(Date.now() + 4000 * 86_400_000) },
    ]
    for (const input of bad) {
      await expectTRPCError(org.caller.apiKeys.create(input as never), 'BAD_REQUEST')
    }
    expect((await org.caller.apiKeys.list({ includeRevoked: true })).items).toEqual([])
  })

  it('answers 503, not an unlimited key, when the rate limiter is unavailable', async () => {
    const org = await api.registerOrg()
    const key = await org.caller.apiKeys.create({ name: 'ERP', scope: 'read' })
    const broken = {
      ...api.deps,
      authLimiter: { ...api.deps.authLimiter, reserve: () => Promise.reject(new Error('down')) },
    }
    const caller = createCaller(
      createInnerContext(broken, { accessToken: key.secret, acceptsApiKeys: true }),
    )
    await expectTRPCError(caller.vehicles.list(), 'SERVICE_UNAVAILABLE')
  })
})
