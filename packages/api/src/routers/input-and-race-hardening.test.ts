import { countAdmins } from '@fms/db/queries/users'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

// Regressions found in review: a race that left an organization without an admin, and inputs
// that reached PostgreSQL and answered 500 instead of 400.
let api: TestApi

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(() => api?.close())

function cursorOf(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url')
}

describe('input and race hardening', () => {
  it('keeps one admin when two demotions race', async () => {
    const org = await api.registerOrg()
    const second = await api.addUser(org.caller, 'admin')
    const results = await Promise.allSettled([
      org.caller.users.update({ id: second.user.id, role: 'user' }),
      org.caller.users.update({ id: org.session.user.id, role: 'user' }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(await countAdmins(api.deps.db, org.session.user.orgId)).toBe(1)
  })

  it('answers BAD_REQUEST to a garbage cursor on users.list', async () => {
    const org = await api.registerOrg()
    await expectTRPCError(org.caller.users.list({ cursor: 'not-a-cursor' }), 'BAD_REQUEST')
  })

  it('answers BAD_REQUEST to a crafted cursor whose id is not a UUID', async () => {
    const org = await api.registerOrg()
    const cursor = cursorOf({ v: 'x', id: '-'.repeat(36) })
    await expectTRPCError(org.caller.vehicles.list({ cursor, sort: 'code' }), 'BAD_REQUEST')
  })

  it('answers BAD_REQUEST to a NUL character in text and search, storing nothing', async () => {
    const org = await api.registerOrg()
    await expectTRPCError(
      org.caller.vehicles.create({ code: 'N1', vin: makeVin(), plate: 'a\u0000' }),
      'BAD_REQUEST',
    )
    await expectTRPCError(org.caller.vehicles.list({ search: 'a\u0000' }), 'BAD_REQUEST')
    expect((await org.caller.vehicles.list({})).items).toHaveLength(0)
  })
})
