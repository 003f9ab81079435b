import { generateTotpSecret, sealSecret, totpCodeAt } from '@fms/auth'
import { eq } from '@fms/db'
import { accountTokens, emailOutbox, organizations, users } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiDeps, createInnerContext } from '../context.ts'
import { createCaller } from '../root.ts'
import { createTestApi, expectTRPCError, requireSignedIn, type TestApi } from '../testing.ts'

const APP_URL = 'https://fms.example.test'
const PASSWORD = 'correct horse'

let api: TestApi
let deps: ApiDeps
let counter = 0

beforeAll(async () => {
  api = await createTestApi()
  deps = { ...api.deps, email: { appUrl: APP_URL, linkSecret: 'link-secret-'.padEnd(40, 'x') } }
})
afterAll(() => api?.close())

/** A caller of the API with email on, from its own client address. */
const anonymous = () => createCaller(createInnerContext(deps, { clientIp: `10.9.0.${++counter}` }))
const withToken = (accessToken: string) => createCaller(createInnerContext(deps, { accessToken }))
const newEmail = () => `person${++counter}-${Date.now()}@example.com`

async function emailsTo(address: string) {
  return api.deps.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, address))
}

/** The token in the link of the newest email of this purpose to `address`. */
async function linkToken(address: string, purpose: string): Promise<string> {
  const mails = (await emailsTo(address)).filter((mail) => mail.purpose === purpose)
  const last = mails.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1)
  const match = /#\/(?:verify-email|reset-password)\?token=([A-Za-z0-9_-]+)/.exec(
    last?.textBody ?? '',
  )
  if (!match?.[1]) throw new Error(`no ${purpose} link mailed to ${address}`)
  return match[1]
}

async function signUp(email = newEmail(), orgName = 'Acme') {
  const result = await anonymous().auth.register({ email, password: PASSWORD, orgName })
  return { email, result }
}

/** A signed-up, verified account (email on). */
async function verifiedAccount() {
  const { email } = await signUp()
  const session = requireSignedIn(
    await anonymous().auth.verifyEmail({ token: await linkToken(email, 'verify_email') }),
  )
  return { email, session }
}

describe('auth with email on', () => {
  it('answers verification_sent to a sign-up and signs in through the emailed link', async () => {
    const { email, result } = await signUp()
    expect(result).toEqual({ status: 'verification_sent' })
    const [mail] = await emailsTo(email)
    expect(mail?.purpose).toBe('verify_email')
    expect(mail?.textBody).toContain(`${APP_URL}/#/verify-email?token=`)
    const session = requireSignedIn(
      await anonymous().auth.verifyEmail({ token: await linkToken(email, 'verify_email') }),
    )
    expect(session.user).toMatchObject({ email, role: 'admin', emailVerified: true })
    expect(await withToken(session.accessToken).auth.me()).toMatchObject({ emailVerified: true })
    const login = requireSignedIn(await anonymous().auth.login({ email, password: PASSWORD }))
    expect(login.user.id).toBe(session.user.id)
  })

  it('stores only the digest of a link token', async () => {
    const { email } = await signUp()
    const token = await linkToken(email, 'verify_email')
    const rows = await api.deps.db
      .select()
      .from(accountTokens)
      .where(eq(accountTokens.email, email))
    expect(rows).toHaveLength(1)
    expect(rows[0]?.tokenHash).not.toContain(token)
    expect(rows[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('refuses a verification link the second time', async () => {
    const { email } = await signUp()
    const token = await linkToken(email, 'verify_email')
    await anonymous().auth.verifyEmail({ token })
    const error = await expectTRPCError(anonymous().auth.verifyEmail({ token }), 'BAD_REQUEST')
    expect(error.message).toBe('This link is invalid or has expired; ask for a new one')
  })

  it('lets only one of two concurrent uses of a link win', async () => {
    const { email } = await signUp()
    const token = await linkToken(email, 'verify_email')
    const results = await Promise.allSettled([
      anonymous().auth.verifyEmail({ token }),
      anonymous().auth.verifyEmail({ token }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
  })

  it('refuses an expired link with the same message as an unknown one', async () => {
    const { email } = await signUp()
    const token = await linkToken(email, 'verify_email')
    await api.deps.db
      .update(accountTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(accountTokens.email, email))
    const expired = await expectTRPCError(anonymous().auth.verifyEmail({ token }), 'BAD_REQUEST')
    const unknown = await expectTRPCError(
      anonymous().auth.verifyEmail({ token: 'A'.repeat(43) }),
      'BAD_REQUEST',
    )
    expect(expired.message).toBe(unknown.message)
    const [user] = await api.deps.db.select().from(users).where(eq(users.email, email))
    expect(user?.emailVerifiedAt).toBeNull()
  })

  it('refuses a link used for the other purpose', async () => {
    const { email } = await verifiedAccount()
    await anonymous().auth.requestPasswordReset({ email })
    const resetToken = await linkToken(email, 'reset_password')
    await expectTRPCError(anonymous().auth.verifyEmail({ token: resetToken }), 'BAD_REQUEST')
    const other = await signUp()
    const verifyToken = await linkToken(other.email, 'verify_email')
    await expectTRPCError(
      anonymous().auth.resetPassword({ token: verifyToken, password: 'new password 1' }),
      'BAD_REQUEST',
    )
    // Neither was used up by the wrong call.
    await anonymous().auth.resetPassword({ token: resetToken, password: 'new password 1' })
    await anonymous().auth.verifyEmail({ token: verifyToken })
  })

  it('refuses a link sent to an address the user no longer has', async () => {
    const { email } = await signUp()
    const token = await linkToken(email, 'verify_email')
    const changed = newEmail()
    await api.deps.db.update(users).set({ email: changed }).where(eq(users.email, email))
    await expectTRPCError(anonymous().auth.verifyEmail({ token }), 'BAD_REQUEST')
    const [user] = await api.deps.db.select().from(users).where(eq(users.email, changed))
    expect(user?.emailVerifiedAt).toBeNull()
  })

  it('makes an older link of the same purpose stop working when a new one is sent', async () => {
    const { email } = await verifiedAccount()
    await anonymous().auth.requestPasswordReset({ email })
    const first = await linkToken(email, 'reset_password')
    await anonymous().auth.requestPasswordReset({ email })
    const second = await linkToken(email, 'reset_password')
    expect(second).not.toBe(first)
    await expectTRPCError(
      anonymous().auth.resetPassword({ token: first, password: 'new password 1' }),
      'BAD_REQUEST',
    )
    await anonymous().auth.resetPassword({ token: second, password: 'new password 1' })
  })

  it('asks a user with two-factor sign-in on for a code after the link, like a sign-in', async () => {
    const { session: admin } = await verifiedAccount()
    const email = newEmail()
    const invited = await withToken(admin.accessToken).users.create({
      email,
      password: PASSWORD,
      role: 'user',
    })
    // Two-factor sign-in already on when the (invitation) link is used: it proves the address only.
    const secret = generateTotpSecret()
    await api.deps.db
      .update(users)
      .set({
        totpSecret: sealSecret(api.deps.secretKey as Buffer, secret),
        totpEnabledAt: new Date(),
      })
      .where(eq(users.id, invited.id))
    const answer = await anonymous().auth.verifyEmail({
      token: await linkToken(email, 'invitation'),
    })
    if (answer.status !== 'second_factor') throw new Error('expected a second step')
    expect(answer).not.toHaveProperty('accessToken')
    const [row] = await api.deps.db.select().from(users).where(eq(users.id, invited.id))
    expect(row?.emailVerifiedAt).not.toBeNull()
    await expectTRPCError(
      anonymous().auth.verifySecondFactor({ challenge: answer.challenge, otp: '000000' }),
      'UNAUTHORIZED',
    )
    const signedIn = await anonymous().auth.verifySecondFactor({
      challenge: answer.challenge,
      otp: totpCodeAt(secret, Date.now()),
    })
    expect(signedIn.user).toMatchObject({ id: invited.id, emailVerified: true })
  })

  it('sends no reset link to an account single sign-on created (it has no password)', async () => {
    const { email } = await verifiedAccount()
    await api.deps.db
      .update(users)
      .set({ passwordHash: 'sso:unusable' })
      .where(eq(users.email, email))
    expect(await anonymous().auth.requestPasswordReset({ email })).toEqual({ ok: true })
    const resets = (await emailsTo(email)).filter((mail) => mail.purpose === 'reset_password')
    expect(resets).toHaveLength(0)
  })

  it('resets the password, ends every session and refuses the old password', async () => {
    const { email, session } = await verifiedAccount()
    const other = requireSignedIn(await anonymous().auth.login({ email, password: PASSWORD }))
    expect(await anonymous().auth.requestPasswordReset({ email })).toEqual({ ok: true })
    const [mail] = (await emailsTo(email)).filter((m) => m.purpose === 'reset_password')
    expect(mail?.textBody).toContain(`${APP_URL}/#/reset-password?token=`)
    const token = await linkToken(email, 'reset_password')
    expect((await withToken(session.accessToken).auth.me()).email).toBe(email)
    // Access tokens carry whole seconds: the reset happens in a later second than their issue.
    await new Promise((resolve) => setTimeout(resolve, 1005 - (Date.now() % 1000)))
    expect(await anonymous().auth.resetPassword({ token, password: 'brand new pass' })).toEqual({
      ok: true,
    })
    for (const refreshToken of [session.refreshToken, other.refreshToken]) {
      await expectTRPCError(anonymous().auth.refresh({ refreshToken }), 'UNAUTHORIZED')
    }
    // The access tokens already handed out stop working too, not only at their expiry.
    for (const accessToken of [session.accessToken, other.accessToken]) {
      await expectTRPCError(withToken(accessToken).auth.me(), 'UNAUTHORIZED')
    }
    await expectTRPCError(anonymous().auth.login({ email, password: PASSWORD }), 'UNAUTHORIZED')
    const signedIn = requireSignedIn(
      await anonymous().auth.login({ email, password: 'brand new pass' }),
    )
    expect(signedIn.user.email).toBe(email)
    expect((await withToken(signedIn.accessToken).auth.me()).email).toBe(email)
    await expectTRPCError(
      anonymous().auth.resetPassword({ token, password: 'another new one' }),
      'BAD_REQUEST',
    )
  })

  it('refuses a reset password that breaks the password rules', async () => {
    const { email } = await verifiedAccount()
    await anonymous().auth.requestPasswordReset({ email })
    const token = await linkToken(email, 'reset_password')
    await expectTRPCError(
      anonymous().auth.resetPassword({ token, password: 'short' }),
      'BAD_REQUEST',
    )
  })

  it('marks the address verified when a reset link is used', async () => {
    const { email } = await signUp()
    await anonymous().auth.requestPasswordReset({ email })
    await anonymous().auth.resetPassword({
      token: await linkToken(email, 'reset_password'),
      password: 'brand new pass',
    })
    const session = requireSignedIn(
      await anonymous().auth.login({ email, password: 'brand new pass' }),
    )
    expect(session.user.emailVerified).toBe(true)
  })

  it('answers a sign-up with a taken address the same, creates nothing and tells the owner', async () => {
    const { email } = await verifiedAccount()
    const orgsBefore = await api.deps.db.$count(organizations)
    const { result } = await signUp(email.toUpperCase(), 'Intruder Org')
    expect(result).toEqual({ status: 'verification_sent' })
    expect(await api.deps.db.$count(organizations)).toBe(orgsBefore)
    const exists = (await emailsTo(email)).filter((m) => m.purpose === 'account_exists')
    expect(exists).toHaveLength(1)
    expect(exists[0]?.textBody).toContain(`${APP_URL}/#/forgot-password`)
    expect(exists[0]?.textBody).not.toContain('Intruder Org')
    // Repeated attempts don't flood the owner.
    await signUp(email, 'Intruder Org')
    expect((await emailsTo(email)).filter((m) => m.purpose === 'account_exists')).toHaveLength(1)
  })

  it('answers a reset request the same for an unknown address and mails nobody', async () => {
    const { email } = await verifiedAccount()
    const unknown = newEmail()
    expect(await anonymous().auth.requestPasswordReset({ email: unknown })).toEqual({ ok: true })
    expect(await anonymous().auth.requestPasswordReset({ email })).toEqual({ ok: true })
    expect(await emailsTo(unknown)).toHaveLength(0)
    expect((await emailsTo(email)).filter((m) => m.purpose === 'reset_password')).toHaveLength(1)
  })

  it('throttles reset requests per address, known or not', async () => {
    for (const email of [(await verifiedAccount()).email, newEmail()]) {
      for (let i = 0; i < 5; i++) await anonymous().auth.requestPasswordReset({ email })
      await expectTRPCError(anonymous().auth.requestPasswordReset({ email }), 'TOO_MANY_REQUESTS')
    }
  })

  it('throttles reset-link tries per client address, and not the next address', async () => {
    const guesser = createCaller(createInnerContext(deps, { clientIp: '10.66.0.1' }))
    const attempt = () =>
      guesser.auth.resetPassword({ token: 'B'.repeat(43), password: 'a new long password' })
    for (let i = 0; i < 30; i++) await expectTRPCError(attempt(), 'BAD_REQUEST')
    await expectTRPCError(attempt(), 'TOO_MANY_REQUESTS')
    // Another client address is not held up by this one.
    const { email } = await verifiedAccount()
    await anonymous().auth.requestPasswordReset({ email })
    const token = await linkToken(email, 'reset_password')
    expect(
      await anonymous().auth.resetPassword({ token, password: 'a new long password' }),
    ).toEqual({ ok: true })
  })

  it('refuses an unverified sign-in and sends a new link at most every 5 minutes', async () => {
    const { email } = await signUp()
    const first = await linkToken(email, 'verify_email')
    await api.deps.db
      .update(accountTokens)
      .set({ createdAt: new Date(Date.now() - 6 * 60_000) })
      .where(eq(accountTokens.email, email))
    const error = await expectTRPCError(
      anonymous().auth.login({ email, password: PASSWORD }),
      'FORBIDDEN',
    )
    expect(error.message).toBe('Confirm your email address first: we sent you a new link')
    const second = await linkToken(email, 'verify_email')
    expect(second).not.toBe(first)
    await expectTRPCError(anonymous().auth.login({ email, password: PASSWORD }), 'FORBIDDEN')
    expect((await emailsTo(email)).filter((m) => m.purpose === 'verify_email')).toHaveLength(2)
    // A wrong password says nothing about verification.
    await expectTRPCError(
      anonymous().auth.login({ email, password: 'wrong horse' }),
      'UNAUTHORIZED',
    )
  })

  it('sends a signed-in unverified user a link on request, then throttles', async () => {
    // Created while email was off: signed in, unverified, no link yet.
    const offCaller = createCaller(createInnerContext(api.deps, { clientIp: '10.8.0.1' }))
    const email = newEmail()
    const session = requireSignedIn(
      await offCaller.auth.register({ email, password: PASSWORD, orgName: 'Early' }),
    )
    expect(session.user.emailVerified).toBe(false)
    const caller = withToken(session.accessToken)
    expect(await caller.auth.requestVerification()).toEqual({ ok: true })
    await expectTRPCError(caller.auth.requestVerification(), 'TOO_MANY_REQUESTS')
    const verified = requireSignedIn(
      await anonymous().auth.verifyEmail({ token: await linkToken(email, 'verify_email') }),
    )
    expect(verified.user.emailVerified).toBe(true)
    await expectTRPCError(caller.auth.requestVerification(), 'CONFLICT')
  })

  it('sends one link to racing requests for one, and answers the others TOO_MANY_REQUESTS', async () => {
    const offCaller = createCaller(createInnerContext(api.deps, { clientIp: '10.8.0.2' }))
    const email = newEmail()
    const session = requireSignedIn(
      await offCaller.auth.register({ email, password: PASSWORD, orgName: 'Racing' }),
    )
    const caller = withToken(session.accessToken)
    const answers = await Promise.allSettled(
      Array.from({ length: 4 }, () => caller.auth.requestVerification()),
    )
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1)
    const links = (await emailsTo(email)).filter((mail) => mail.purpose === 'verify_email')
    expect(links).toHaveLength(1)
    const tokens = await api.deps.db
      .select()
      .from(accountTokens)
      .where(eq(accountTokens.userId, session.user.id))
    expect(tokens).toHaveLength(1)
  })

  it('invites a user an admin adds; the link verifies and signs them in', async () => {
    const { session } = await verifiedAccount()
    const email = newEmail()
    const created = await withToken(session.accessToken).users.create({
      email,
      password: PASSWORD,
      role: 'user',
    })
    expect(created.emailVerifiedAt).toBeNull()
    const [mail] = await emailsTo(email)
    expect(mail).toMatchObject({
      purpose: 'invitation',
      subject: 'You have an FMS account with Acme',
    })
    const signedIn = requireSignedIn(
      await anonymous().auth.verifyEmail({ token: await linkToken(email, 'invitation') }),
    )
    expect(signedIn.user).toMatchObject({ email, role: 'user', emailVerified: true })
  })

  it('says email is on', async () => {
    expect(await anonymous().auth.emailStatus()).toEqual({ isEmailEnabled: true })
  })
})

describe('auth with email off', () => {
  const off = () => api.anonymous(`10.7.0.${++counter}`)

  it('signs a sign-up in at once and still answers CONFLICT to a taken address', async () => {
    const email = newEmail()
    const result = await off().auth.register({ email, password: PASSWORD, orgName: 'Off' })
    expect(result).toMatchObject({ status: 'signed_in', user: { email, emailVerified: false } })
    expect(await emailsTo(email)).toHaveLength(0)
    await expectTRPCError(
      off().auth.register({ email, password: PASSWORD, orgName: 'Off' }),
      'CONFLICT',
    )
  })

  it('signs unverified users in', async () => {
    const email = newEmail()
    await off().auth.register({ email, password: PASSWORD, orgName: 'Off' })
    const session = requireSignedIn(await off().auth.login({ email, password: PASSWORD }))
    expect(session.user.emailVerified).toBe(false)
  })

  it('refuses password resets and verification links with PRECONDITION_FAILED', async () => {
    const email = newEmail()
    const session = requireSignedIn(
      await off().auth.register({ email, password: PASSWORD, orgName: 'Off' }),
    )
    const error = await expectTRPCError(
      off().auth.requestPasswordReset({ email }),
      'PRECONDITION_FAILED',
    )
    expect(error.message).toMatch(/email is off/i)
    await expectTRPCError(
      off().auth.resetPassword({ token: 'A'.repeat(43), password: 'new password 1' }),
      'PRECONDITION_FAILED',
    )
    await expectTRPCError(
      api.withToken(session.accessToken).auth.requestVerification(),
      'PRECONDITION_FAILED',
    )
    expect(await emailsTo(email)).toHaveLength(0)
  })

  it('creates users without an invitation', async () => {
    const admin = await api.registerOrg()
    const email = newEmail()
    await admin.caller.users.create({ email, password: PASSWORD, role: 'user' })
    expect(await emailsTo(email)).toHaveLength(0)
  })

  it('says email is off', async () => {
    expect(await off().auth.emailStatus()).toEqual({ isEmailEnabled: false })
  })
})
