import { eq } from '@fms/db'
import { users } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestApi,
  expectTRPCError,
  makeVin,
  requireSignedIn,
  type TestApi,
} from '../testing.ts'

let api: TestApi
let counter = 0

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(() => api?.close())

function newEmail() {
  return `member${++counter}-${Date.now()}@example.com`
}

async function userRow(id: string) {
  const [row] = await api.deps.db.select().from(users).where(eq(users.id, id))
  return row ?? null
}

function expectNoPasswordHash(output: unknown) {
  expect(JSON.stringify(output)).not.toMatch(/passwordHash|password_hash|argon2/)
}

describe('users', () => {
  it('creates a user with the user role by default', async () => {
    const { caller, session } = await api.registerOrg()
    const email = newEmail()
    const created = await caller.users.create({
      email: email.toUpperCase(),
      password: 'long enough',
    })
    expect(created).toMatchObject({ email, role: 'user', orgId: session.user.orgId })
    const login = requireSignedIn(
      await api.anonymous().auth.login({ email, password: 'long enough' }),
    )
    expect(login.user).toMatchObject({ id: created.id, role: 'user' })
  })

  it('never returns the password hash from create, list, update or remove', async () => {
    const { caller } = await api.registerOrg()
    const created = await caller.users.create({ email: newEmail(), password: 'long enough' })
    expectNoPasswordHash(created)
    expectNoPasswordHash(await caller.users.list({}))
    expectNoPasswordHash(
      await caller.users.update({ id: created.id, role: 'admin', password: 'another one' }),
    )
    expectNoPasswordHash(await caller.users.remove({ id: created.id }))
  })

  it('answers CONFLICT with a field error to an email already taken, in any organization', async () => {
    const { caller, session } = await api.registerOrg()
    const other = await api.registerOrg()
    const error = await expectTRPCError(
      caller.users.create({ email: other.email.toUpperCase(), password: 'long enough' }),
      'CONFLICT',
    )
    expect(error.cause).toMatchObject({ fieldErrors: { email: [expect.any(String)] } })
    expect((await caller.users.list({})).items.map((u) => u.id)).toEqual([session.user.id])
  })

  it('lists only the users of the own organization', async () => {
    const a = await api.registerOrg()
    const b = await api.registerOrg()
    const member = await api.addUser(a.caller)
    await api.addUser(b.caller)
    const ids = (await a.caller.users.list({})).items.map((u) => u.id)
    expect(ids.sort()).toEqual([a.session.user.id, member.user.id].sort())
  })

  it('applies a lowered role on the very next call of an existing access token', async () => {
    const a = await api.registerOrg()
    const b = await api.addUser(a.caller, 'admin')
    await b.caller.vehicles.create({ code: 'BEFORE', vin: makeVin() })
    const demoted = await a.caller.users.update({ id: b.user.id, role: 'user' })
    expect(demoted.role).toBe('user')
    await expectTRPCError(b.caller.vehicles.create({ code: 'AFTER', vin: makeVin() }), 'FORBIDDEN')
    expect((await b.caller.vehicles.list({})).items.map((v) => v.code)).toEqual(['BEFORE'])
  })

  it('answers CONFLICT to demoting the last admin', async () => {
    const { caller, session } = await api.registerOrg()
    await api.addUser(caller, 'user')
    await expectTRPCError(caller.users.update({ id: session.user.id, role: 'user' }), 'CONFLICT')
    expect((await userRow(session.user.id))?.role).toBe('admin')
  })

  it('lets an admin step down while another admin remains', async () => {
    const { caller, session } = await api.registerOrg()
    const other = await api.addUser(caller, 'admin')
    const updated = await caller.users.update({ id: session.user.id, role: 'user' })
    expect(updated.role).toBe('user')
    expect((await other.caller.users.list({})).items).toHaveLength(2)
  })

  it('answers BAD_REQUEST to an admin removing themselves', async () => {
    const { caller, session } = await api.registerOrg()
    await api.addUser(caller, 'admin')
    await expectTRPCError(caller.users.remove({ id: session.user.id }), 'BAD_REQUEST')
    expect(await userRow(session.user.id)).toMatchObject({ id: session.user.id, role: 'admin' })
  })

  it('stops accepting a removed user’s access and refresh tokens', async () => {
    const { caller } = await api.registerOrg()
    const member = await api.addUser(caller)
    expect((await member.caller.auth.me()).id).toBe(member.user.id)
    expect(await caller.users.remove({ id: member.user.id })).toMatchObject({ id: member.user.id })
    expect(await userRow(member.user.id)).toBeNull()
    await expectTRPCError(member.caller.auth.me(), 'UNAUTHORIZED')
    await expectTRPCError(
      api.anonymous().auth.refresh({ refreshToken: member.session.refreshToken }),
      'UNAUTHORIZED',
    )
  })

  it('ends the user’s sessions on a password change and accepts the new password', async () => {
    const { caller } = await api.registerOrg()
    const member = await api.addUser(caller)
    const live = await api.anonymous().auth.refresh({ refreshToken: member.session.refreshToken })
    await caller.users.update({ id: member.user.id, password: 'brand new secret' })
    await expectTRPCError(
      api.anonymous().auth.refresh({ refreshToken: live.refreshToken }),
      'UNAUTHORIZED',
    )
    const login = requireSignedIn(
      await api.anonymous().auth.login({ email: member.email, password: 'brand new secret' }),
    )
    expect(login.user.id).toBe(member.user.id)
    await expectTRPCError(
      api.anonymous('10.2.0.1').auth.login({ email: member.email, password: 'correct horse' }),
      'UNAUTHORIZED',
    )
  })

  it('answers NOT_FOUND to updating and removing another organization’s user', async () => {
    const owner = await api.registerOrg()
    const intruder = await api.registerOrg()
    const member = await api.addUser(owner.caller, 'admin')
    const before = await userRow(member.user.id)

    await expectTRPCError(
      intruder.caller.users.update({ id: member.user.id, role: 'user' }),
      'NOT_FOUND',
    )
    await expectTRPCError(
      intruder.caller.users.update({ id: member.user.id, password: 'taken over!' }),
      'NOT_FOUND',
    )
    await expectTRPCError(intruder.caller.users.remove({ id: member.user.id }), 'NOT_FOUND')
    expect(await userRow(member.user.id)).toEqual(before)
    expect((await member.caller.auth.me()).id).toBe(member.user.id)
  })

  it('ignores an orgId in the create input and files the user in the caller’s organization', async () => {
    const mine = await api.registerOrg()
    const victim = await api.registerOrg()
    const input = { email: newEmail(), password: 'long enough', orgId: victim.session.user.orgId }
    const created = await mine.caller.users.create(input)
    expect(created.orgId).toBe(mine.session.user.orgId)
    expect((await victim.caller.users.list({})).items.map((u) => u.id)).toEqual([
      victim.session.user.id,
    ])
  })
})
