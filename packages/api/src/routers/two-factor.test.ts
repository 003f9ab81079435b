import { totpCodeAt } from '@fms/auth'
import { eq } from '@fms/db'
import { auditLog, recoveryCodes, users } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApi, expectTRPCError, requireSignedIn, type TestApi } from '../testing.ts'

let api: TestApi

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(() => api?.close())

/** A code of the step after the current one (accepted: one step either side). */
const nextCode = (secret: string) => totpCodeAt(secret, Date.now() + 30_000)
const currentCode = (secret: string) => totpCodeAt(secret, Date.now())

async function enrolled() {
  const org = await api.registerOrg()
  const enrolment = await org.caller.auth.twoFactor.enrol()
  const { recoveryCodes: codes } = await org.caller.auth.twoFactor.confirm({
    otp: currentCode(enrolment.secret),
  })
  return { ...org, secret: enrolment.secret, codes }
}

describe('two-factor sign-in', () => {
  it('enrols with a QR code, turns on only when confirmed, and stores the secret sealed', async () => {
    const { caller, session } = await api.registerOrg()
    const enrolment = await caller.auth.twoFactor.enrol()
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(enrolment.uri).toContain(`secret=${enrolment.secret}`)
    expect(enrolment.qrCodeDataUrl).toMatch(/^data:image\/svg\+xml;base64,/)
    expect(Buffer.from(enrolment.qrCodeDataUrl.split(',')[1] ?? '', 'base64').toString()).toContain(
      '<svg',
    )
    expect((await caller.auth.twoFactor.status()).isEnabled).toBe(false)
    // Not on yet: the password alone still signs in.
    const before = await api
      .anonymous()
      .auth.login({ email: session.user.email, password: 'correct horse' })
    expect(before.status).toBe('signed_in')

    await expectTRPCError(caller.auth.twoFactor.confirm({ otp: '000000' }), 'BAD_REQUEST')
    const { recoveryCodes: codes } = await caller.auth.twoFactor.confirm({
      otp: currentCode(enrolment.secret),
    })
    expect(codes).toHaveLength(10)
    expect(await caller.auth.twoFactor.status()).toMatchObject({
      isEnabled: true,
      recoveryCodesLeft: 10,
    })
    const [row] = await api.deps.db.select().from(users).where(eq(users.id, session.user.id))
    expect(row?.totpSecret).toMatch(/^v1\./)
    expect(row?.totpSecret).not.toContain(enrolment.secret)
    const stored = await api.deps.db
      .select()
      .from(recoveryCodes)
      .where(eq(recoveryCodes.userId, session.user.id))
    expect(JSON.stringify(stored)).not.toContain(codes[0] ?? 'x')
    await expectTRPCError(caller.auth.twoFactor.enrol(), 'CONFLICT')
  })

  it('asks for a second step at sign-in and signs in with a code, once', async () => {
    const { email, secret } = await enrolled()
    const first = await api.anonymous().auth.login({ email, password: 'correct horse' })
    if (first.status !== 'second_factor') throw new Error('expected a second step')
    expect(first).not.toHaveProperty('accessToken')
    const code = nextCode(secret)
    const session = await api.anonymous().auth.verifySecondFactor({
      challenge: first.challenge,
      otp: code,
    })
    expect(session.user.email).toBe(email)
    expect(await api.withToken(session.accessToken).auth.me()).toMatchObject({ email })
    // The challenge is used up, and the same code can't be replayed with a new challenge.
    await expectTRPCError(
      api.anonymous().auth.verifySecondFactor({ challenge: first.challenge, otp: code }),
      'UNAUTHORIZED',
    )
    const again = await api.anonymous().auth.login({ email, password: 'correct horse' })
    if (again.status !== 'second_factor') throw new Error('expected a second step')
    await expectTRPCError(
      api.anonymous().auth.verifySecondFactor({ challenge: again.challenge, otp: code }),
      'UNAUTHORIZED',
    )
    // An older code than the last one used is refused too.
    await expectTRPCError(
      api
        .anonymous()
        .auth.verifySecondFactor({ challenge: again.challenge, otp: currentCode(secret) }),
      'UNAUTHORIZED',
    )
  })

  it('takes each recovery code once', async () => {
    const { email, codes, caller } = await enrolled()
    const recoveryCode = codes[3] ?? ''
    const first = await api.anonymous().auth.login({ email, password: 'correct horse' })
    if (first.status !== 'second_factor') throw new Error('expected a second step')
    const session = await api.anonymous().auth.verifySecondFactor({
      challenge: first.challenge,
      recoveryCode: recoveryCode.toUpperCase(),
    })
    expect(session.status).toBe('signed_in')
    const second = await api.anonymous().auth.login({ email, password: 'correct horse' })
    if (second.status !== 'second_factor') throw new Error('expected a second step')
    await expectTRPCError(
      api.anonymous().auth.verifySecondFactor({ challenge: second.challenge, recoveryCode }),
      'UNAUTHORIZED',
    )
    expect((await caller.auth.twoFactor.status()).recoveryCodesLeft).toBe(9)
  })

  it('ends a challenge after five wrong codes and throttles code guessing per account', async () => {
    const { email, secret } = await enrolled()
    const first = await api.anonymous('10.9.0.1').auth.login({ email, password: 'correct horse' })
    if (first.status !== 'second_factor') throw new Error('expected a second step')
    for (let i = 0; i < 5; i++) {
      await expectTRPCError(
        api
          .anonymous('10.9.0.1')
          .auth.verifySecondFactor({ challenge: first.challenge, otp: '000000' }),
        'UNAUTHORIZED',
      )
    }
    // The right code no longer helps this challenge.
    await expectTRPCError(
      api
        .anonymous('10.9.0.1')
        .auth.verifySecondFactor({ challenge: first.challenge, otp: nextCode(secret) }),
      'UNAUTHORIZED',
    )
    const second = await api.anonymous('10.9.0.2').auth.login({ email, password: 'correct horse' })
    if (second.status !== 'second_factor') throw new Error('expected a second step')
    for (let i = 0; i < 5; i++) {
      await expectTRPCError(
        api
          .anonymous('10.9.0.2')
          .auth.verifySecondFactor({ challenge: second.challenge, otp: '000000' }),
        'UNAUTHORIZED',
      )
    }
    // Ten code attempts per account and window, from any address: the eleventh is refused
    // before it is checked, even with the right code.
    const third = await api.anonymous('10.9.0.3').auth.login({ email, password: 'correct horse' })
    if (third.status !== 'second_factor') throw new Error('expected a second step')
    await expectTRPCError(
      api
        .anonymous('10.9.0.3')
        .auth.verifySecondFactor({ challenge: third.challenge, otp: nextCode(secret) }),
      'TOO_MANY_REQUESTS',
    )
  })

  it('disables with a code, after which the password alone signs in', async () => {
    const { email, secret, caller } = await enrolled()
    await expectTRPCError(caller.auth.twoFactor.disable({ otp: '000000' }), 'BAD_REQUEST')
    await caller.auth.twoFactor.disable({ otp: nextCode(secret) })
    expect((await caller.auth.twoFactor.status()).isEnabled).toBe(false)
    const answer = await api.anonymous().auth.login({ email, password: 'correct horse' })
    expect(answer.status).toBe('signed_in')
  })

  it('tells an admin of an organization that requires it to set it up', async () => {
    const { caller, email } = await api.registerOrg()
    const member = await api.addUser(caller)
    await expectTRPCError(
      member.caller.auth.twoFactor.setPolicy({ requireForAdmins: true }),
      'FORBIDDEN',
    )
    expect(await caller.auth.twoFactor.setPolicy({ requireForAdmins: true })).toEqual({
      requireForAdmins: true,
    })
    const admin = requireSignedIn(
      await api.anonymous().auth.login({ email, password: 'correct horse' }),
    )
    expect(admin.isTwoFactorSetupRequired).toBe(true)
    const user = requireSignedIn(
      await api.anonymous().auth.login({ email: member.email, password: 'correct horse' }),
    )
    expect(user.isTwoFactorSetupRequired).toBe(false)
  })

  it('records enrolment and sign-ins in the audit log without the secret or any code', async () => {
    const { email, secret, codes, session } = await enrolled()
    const first = await api.anonymous().auth.login({ email, password: 'correct horse' })
    if (first.status !== 'second_factor') throw new Error('expected a second step')
    const code = nextCode(secret)
    await api.anonymous().auth.verifySecondFactor({ challenge: first.challenge, otp: code })
    const rows = await api.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.orgId, session.user.orgId))
    expect(rows.map((row) => row.action)).toEqual(
      expect.arrayContaining([
        'auth.twoFactor.enrol',
        'auth.twoFactor.confirm',
        'auth.verifySecondFactor',
      ]),
    )
    const json = JSON.stringify(rows)
    for (const value of [secret, code, first.challenge, ...codes]) expect(json).not.toContain(value)
  })
})
