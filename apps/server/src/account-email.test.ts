import {
  createApiClient,
  readErrorCode,
  readLinkToken,
  requireSignedIn,
  startSmtpServer,
  TEST_PASSWORD,
  type TestSmtpServer,
  uniqueEmail,
} from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'

let smtp: TestSmtpServer
let server: RunningServer
const PUBLIC_URL = 'https://fleet.example.test'

beforeAll(async () => {
  smtp = await startSmtpServer()
  server = await startTestServer({
    SMTP_URL: smtp.url,
    SMTP_FROM: 'FMS <accounts@fleet.example.test>',
    PUBLIC_URL,
  })
})
afterAll(async () => {
  await server?.close()
  await smtp?.close()
})

const mailTo = (email: string, subject: string) =>
  smtp.waitFor((m) => m.to.includes(email) && m.parsed.subject === subject, 20_000)

/** The raw HTTP answer to a tRPC mutation, to compare answers byte for byte. */
async function post(path: string, input: unknown) {
  const res = await fetch(`${server.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  })
  return { status: res.status, body: await res.text() }
}

describe('accounts by email over HTTP', () => {
  it('signs up, mails a link carrying nothing the sign-up typed, and the link signs the admin in', async () => {
    const email = uniqueEmail('owner')
    const orgName = `<img src=x onerror="alert(1)"> & Sons`
    const anon = createApiClient(server.url)
    const answer = await anon.auth.register.mutate({ email, password: TEST_PASSWORD, orgName })
    expect(answer).toEqual({ status: 'verification_sent' })

    const mail = await mailTo(email, 'Confirm your email address for FMS')
    expect(mail.parsed.from?.text).toContain('accounts@fleet.example.test')
    const token = readLinkToken(mail, '/verify-email')
    const link = `${PUBLIC_URL}/#/verify-email?token=${token}`
    expect(mail.parsed.text).toContain(link)
    // Anyone can sign up with any address: the stranger's organization name is not mailed to it.
    expect(mail.parsed.text).not.toContain('Sons')
    const html = String(mail.parsed.html)
    expect(html).toContain(`href="${link}"`)
    expect(html).not.toContain('Sons')
    expect(html).not.toContain('<img')

    // Unverified: signing in is refused until the link is followed.
    const refused = await anon.auth.login.mutate({ email, password: TEST_PASSWORD }).catch((e) => e)
    expect(readErrorCode(refused)).toBe('FORBIDDEN')

    const session = await anon.auth.verifyEmail.mutate({ token })
    if (session.status !== 'signed_in') throw new Error('expected a session')
    const me = await createApiClient(server.url, session.accessToken).auth.me.query()
    expect(me).toMatchObject({ email, orgName, emailVerified: true })
    const again = await anon.auth.verifyEmail.mutate({ token }).catch((e) => e)
    expect(readErrorCode(again)).toBe('BAD_REQUEST')
  })

  it('resets a password end to end and signs every old session out', async () => {
    const email = uniqueEmail('reset')
    const anon = createApiClient(server.url)
    await anon.auth.register.mutate({ email, password: TEST_PASSWORD, orgName: 'Reset Co' })
    const verifyMail = await mailTo(email, 'Confirm your email address for FMS')
    const old = requireSignedIn(
      await anon.auth.verifyEmail.mutate({ token: readLinkToken(verifyMail, '/verify-email') }),
    )

    expect(await anon.auth.requestPasswordReset.mutate({ email })).toEqual({ ok: true })
    const mail = await mailTo(email, 'Reset your FMS password')
    const token = readLinkToken(mail, '/reset-password')
    expect(mail.parsed.text).toContain(`${PUBLIC_URL}/#/reset-password?token=${token}`)
    expect(String(mail.parsed.html)).toContain(
      `href="${PUBLIC_URL}/#/reset-password?token=${token}"`,
    )

    const password = 'a brand new password'
    expect(await anon.auth.resetPassword.mutate({ token, password })).toEqual({ ok: true })
    const stale = await anon.auth.refresh.mutate({ refreshToken: old.refreshToken }).catch((e) => e)
    expect(readErrorCode(stale)).toBe('UNAUTHORIZED')
    const session = requireSignedIn(await anon.auth.login.mutate({ email, password }))
    expect(session.user.email).toBe(email)
  })

  it('answers sign-up and reset the same for a taken or unknown address as for a new one', async () => {
    const taken = uniqueEmail('taken')
    await createApiClient(server.url).auth.register.mutate({
      email: taken,
      password: TEST_PASSWORD,
      orgName: 'Taken',
    })
    const fresh = uniqueEmail('fresh')
    const input = (email: string) => ({ email, password: TEST_PASSWORD, orgName: 'Hostile' })
    expect(await post('auth.register', input(taken))).toEqual(
      await post('auth.register', input(fresh)),
    )
    const exists = await mailTo(taken, 'You already have an FMS account')
    expect(exists.parsed.text).toContain(`${PUBLIC_URL}/#/forgot-password`)
    expect(exists.parsed.text).not.toContain('Hostile')

    const unknown = uniqueEmail('nobody')
    expect(await post('auth.requestPasswordReset', { email: unknown })).toEqual(
      await post('auth.requestPasswordReset', { email: taken }),
    )
    await mailTo(taken, 'Reset your FMS password')
    expect(smtp.messages.filter((m) => m.to.includes(unknown))).toEqual([])
  })

  it('says email is on', async () => {
    expect(await createApiClient(server.url).auth.emailStatus.query()).toEqual({
      isEmailEnabled: true,
    })
  })
})
