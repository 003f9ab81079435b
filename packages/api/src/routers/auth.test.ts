import { hashOpaqueToken } from '@fms/auth'
import { eq } from '@fms/db'
import { refreshTokens, users } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApi, expectTRPCError, requireSignedIn, type TestApi } from '../testing.ts'

let api: TestApi

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(() => api?.close())

describe('auth', () => {
  it('registers an organization with its first admin', async () => {
    const { session, caller } = await api.registerOrg('Acme Logistics')
    expect(session.user).toMatchObject({ role: 'admin', orgName: 'Acme Logistics' })
    expect(session.accessTokenExpiresAt).toBeInstanceOf(Date)
    expect(await caller.auth.me()).toEqual(session.user)
  })

  it('stores the password as argon2id and never returns it', async () => {
    const { session } = await api.registerOrg()
    const [row] = await api.deps.db.select().from(users).where(eq(users.id, session.user.id))
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(JSON.stringify(session)).not.toMatch(/argon2|passwordHash/)
  })

  it('answers CONFLICT with a field error to a second account with the same email', async () => {
    const { email } = await api.registerOrg()
    const error = await expectTRPCError(
      api
        .anonymous()
        .auth.register({ email: email.toUpperCase(), password: 'another one', orgName: 'X' }),
      'CONFLICT',
    )
    expect(error.cause).toMatchObject({ fieldErrors: { email: [expect.any(String)] } })
  })

  it('answers BAD_REQUEST to a short password and a malformed email', async () => {
    await expectTRPCError(
      api.anonymous().auth.register({ email: 'not-an-email', password: 'short', orgName: 'X' }),
      'BAD_REQUEST',
    )
  })

  it('logs in and gives the same answer for a wrong password and an unknown email', async () => {
    const { email } = await api.registerOrg()
    const session = requireSignedIn(
      await api.anonymous().auth.login({ email, password: 'correct horse' }),
    )
    expect(session.user.email).toBe(email)
    const wrong = await expectTRPCError(
      api.anonymous('10.0.0.1').auth.login({ email, password: 'wrong horse' }),
      'UNAUTHORIZED',
    )
    const unknown = await expectTRPCError(
      api
        .anonymous('10.0.0.2')
        .auth.login({ email: 'nobody@example.com', password: 'wrong horse' }),
      'UNAUTHORIZED',
    )
    expect(unknown.message).toBe(wrong.message)
  })

  it('answers TOO_MANY_REQUESTS after repeated bad passwords for one email', async () => {
    const { email } = await api.registerOrg()
    for (let i = 0; i < 5; i++) {
      await expectTRPCError(
        api.anonymous(`10.1.0.${i}`).auth.login({ email, password: 'wrong horse' }),
        'UNAUTHORIZED',
      )
    }
    await expectTRPCError(
      api.anonymous('10.1.1.1').auth.login({ email, password: 'correct horse' }),
      'TOO_MANY_REQUESTS',
    )
  })

  it('rotates the refresh token and stores only its digest', async () => {
    const { session } = await api.registerOrg()
    const next = await api.anonymous().auth.refresh({ refreshToken: session.refreshToken })
    expect(next.refreshToken).not.toBe(session.refreshToken)
    expect(next.user).toEqual(session.user)
    const stored = await api.deps.db
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.userId, session.user.id))
    expect(stored.map((t) => t.tokenHash)).toContain(hashOpaqueToken(next.refreshToken))
    expect(JSON.stringify(stored)).not.toContain(next.refreshToken)
  })

  it('revokes the whole family when a rotated refresh token is reused', async () => {
    const { session } = await api.registerOrg()
    const next = await api.anonymous().auth.refresh({ refreshToken: session.refreshToken })
    await expectTRPCError(
      api.anonymous().auth.refresh({ refreshToken: session.refreshToken }),
      'UNAUTHORIZED',
    )
    await expectTRPCError(
      api.anonymous().auth.refresh({ refreshToken: next.refreshToken }),
      'UNAUTHORIZED',
    )
  })

  it('refuses a refresh after logout', async () => {
    const { session } = await api.registerOrg()
    expect(await api.anonymous().auth.logout({ refreshToken: session.refreshToken })).toEqual({
      ok: true,
    })
    await expectTRPCError(
      api.anonymous().auth.refresh({ refreshToken: session.refreshToken }),
      'UNAUTHORIZED',
    )
  })

  it('refuses a refresh token used as an access token', async () => {
    const { session } = await api.registerOrg()
    await expectTRPCError(api.withToken(session.refreshToken).auth.me(), 'UNAUTHORIZED')
  })
})
