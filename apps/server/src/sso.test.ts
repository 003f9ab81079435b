import { randomBytes } from 'node:crypto'
import { startTestIdp, type TestIdp } from '@fms/api/testing-oidc'
import { eq } from '@fms/db'
import { auditLog, refreshTokens, ssoLinks, users } from '@fms/db/schema'
import { type ApiClient, createApiClient, readErrorCode } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { hashParam, SsoBrowser } from './testing/sso-browser.ts'

let server: RunningServer
let idp: TestIdp
let admin: ApiClient
let orgId: string
let domain: string
let counter = 0

beforeAll(async () => {
  server = await startTestServer()
  idp = await startTestIdp({ redirectUris: [`${server.url}/api/sso/callback`] })
  domain = `sso-${Date.now()}.example`
  const registered = await createApiClient(server.url).auth.register.mutate({
    email: `owner@${domain}`,
    password: 'correct horse battery staple',
    orgName: 'SSO Org',
  })
  if (registered.status !== 'signed_in') throw new Error('expected a session')
  orgId = registered.user.orgId
  admin = createApiClient(server.url, registered.accessToken)
  await admin.sso.update.mutate({
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    domains: [domain],
    defaultRole: 'user',
  })
}, 60_000)
afterAll(async () => {
  await idp?.close()
  await server?.close()
})

function person(overrides: { email?: string; emailVerified?: boolean } = {}) {
  const n = ++counter
  return {
    sub: `subject-${n}-${Date.now()}`,
    email: overrides.email ?? `person${n}@${domain}`,
    emailVerified: overrides.emailVerified ?? true,
  }
}

/** The key the web app keeps in sessionStorage for the sign-ins one browser starts. */
const BROWSER = randomBytes(32).toString('base64url')
const newBrowserKey = () => randomBytes(32).toString('base64url')

const startUrl = (email: string, browser = BROWSER) =>
  `${server.url}/api/sso/start?email=${encodeURIComponent(email)}&browser=${browser}`

/** Signs in at the provider as `account`; answers where the browser lands in the web app. */
async function signIn(account: ReturnType<typeof person>, start = startUrl(account.email)) {
  idp.signInAs(account)
  return new SsoBrowser().follow(start)
}

async function exchange(code: string | null, browser = BROWSER) {
  return createApiClient(server.url).auth.ssoExchange.mutate({ code: code ?? '', browser })
}

describe('single sign-on with a real OpenID provider', () => {
  it('signs in only the browser that started it (login CSRF)', async () => {
    // The attacker starts a sign-in in their browser, signs in at the provider as themselves and
    // hands the callback address to the victim, whose web app holds another key.
    const attacker = person()
    idp.signInAs(attacker)
    const attackerKey = newBrowserKey()
    const callback = await new SsoBrowser().follow(startUrl(attacker.email, attackerKey), (next) =>
      next.startsWith(`${server.url}/api/sso/callback`),
    )
    const victimKey = newBrowserKey()
    const landed = await new SsoBrowser().follow(callback)
    const code = hashParam(landed, 'code')
    expect(code).toBeTruthy()
    const refused = await exchange(code, victimKey).catch((error: unknown) => error)
    expect(readErrorCode(refused)).toBe('UNAUTHORIZED')
    // The code is spent: even the right key can't use it now.
    const spent = await exchange(code, attackerKey).catch((error: unknown) => error)
    expect(readErrorCode(spent)).toBe('UNAUTHORIZED')
    // A key missing or malformed at the start never reaches the provider.
    for (const browser of ['', 'short', `${attackerKey.slice(0, -1)}*`]) {
      const start = `${server.url}/api/sso/start?email=${encodeURIComponent(attacker.email)}&browser=${browser}`
      expect(await new SsoBrowser().follow(start)).toBe(
        `${server.url}/#/login?sso_error=invalid_request`,
      )
    }
    const withoutKey = `${server.url}/api/sso/start?email=${encodeURIComponent(attacker.email)}`
    expect(hashParam(await new SsoBrowser().follow(withoutKey), 'sso_error')).toBe(
      'invalid_request',
    )
    // The browser that started it, with its own key, signs in.
    const own = hashParam(await signIn(attacker, startUrl(attacker.email, attackerKey)), 'code')
    const session = await exchange(own, attackerKey)
    expect(session.user.email).toBe(attacker.email)
  })

  it('creates the user on first sign-in with the default role, and reuses it after', async () => {
    const account = person()
    const landed = await signIn(account)
    expect(landed.startsWith(`${server.url}/#/sso?code=`)).toBe(true)
    const session = await exchange(hashParam(landed, 'code'))
    expect(session).toMatchObject({
      status: 'signed_in',
      isTwoFactorSetupRequired: false,
      user: { email: account.email, role: 'user', orgId, emailVerified: true },
    })
    const [row] = await server.db.db.select().from(users).where(eq(users.email, account.email))
    expect(row?.passwordHash.startsWith('$argon2')).toBe(false)
    // No password signs in to it.
    const byPassword = await createApiClient(server.url)
      .auth.login.mutate({ email: account.email, password: row?.passwordHash ?? 'x' })
      .catch((error: unknown) => error)
    expect(readErrorCode(byPassword)).toBe('UNAUTHORIZED')

    const again = await exchange(hashParam(await signIn(account), 'code'))
    expect(again.user.id).toBe(session.user.id)
    const members = await admin.users.list.query()
    expect(members.items.filter((user) => user.email === account.email)).toHaveLength(1)
  })

  it('gives a normal session: listed, refreshed, marked as signed in by sso, audited', async () => {
    const account = person()
    const code = hashParam(await signIn(account), 'code')
    const session = await exchange(code)
    const client = createApiClient(server.url, session.accessToken)
    const sessions = await client.auth.sessions.query()
    expect(sessions).toHaveLength(1)
    expect(sessions[0]).toMatchObject({ isCurrent: true, userAgent: expect.any(String) })
    const refreshed = await createApiClient(server.url).auth.refresh.mutate({
      refreshToken: session.refreshToken,
    })
    expect(refreshed.user.id).toBe(session.user.id)
    const tokens = await server.db.db
      .select({ method: refreshTokens.method })
      .from(refreshTokens)
      .where(eq(refreshTokens.userId, session.user.id))
    expect(tokens.map((token) => token.method)).toEqual(['sso', 'sso'])
    const audits = await server.db.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.actorEmail, account.email))
    expect(audits.map((audit) => `${audit.action}:${audit.outcome}`)).toEqual(
      expect.arrayContaining(['auth.sso:ok', 'auth.ssoExchange:ok']),
    )
    expect(audits.find((audit) => audit.action === 'auth.sso')?.orgId).toBe(orgId)
    for (const secret of [session.refreshToken, session.accessToken, code ?? 'x']) {
      expect(JSON.stringify(audits)).not.toContain(secret)
    }
  })

  it('takes a state once: a replayed callback is refused', async () => {
    const account = person()
    idp.signInAs(account)
    const browser = new SsoBrowser()
    const callback = await browser.follow(startUrl(account.email), (next) =>
      next.startsWith(`${server.url}/api/sso/callback`),
    )
    const first = await browser.follow(callback)
    expect(hashParam(first, 'code')).toBeTruthy()
    const replayed = await browser.follow(callback)
    expect(hashParam(replayed, 'sso_error')).toBe('expired')
  })

  it('refuses a tampered state, and a callback without one', async () => {
    const account = person()
    idp.signInAs(account)
    const browser = new SsoBrowser()
    const callback = new URL(
      await browser.follow(startUrl(account.email), (next) => next.includes('/api/sso/callback')),
    )
    const state = callback.searchParams.get('state') ?? ''
    callback.searchParams.set('state', `${state.slice(0, -2)}xy`)
    expect(hashParam(await browser.follow(callback.href), 'sso_error')).toBe('expired')
    callback.searchParams.delete('state')
    expect(hashParam(await browser.follow(callback.href), 'sso_error')).toBe('expired')
  })

  it('takes an exchange code once', async () => {
    const code = hashParam(await signIn(person()), 'code')
    await exchange(code)
    const again = await exchange(code).catch((error: unknown) => error)
    expect(readErrorCode(again)).toBe('UNAUTHORIZED')
  })

  it('refuses an email of a domain the organization does not allow', async () => {
    const account = person({ email: `someone-${Date.now()}@elsewhere.example` })
    const landed = await signIn(
      account,
      `${server.url}/api/sso/start?org=${orgId}&browser=${BROWSER}`,
    )
    expect(hashParam(landed, 'sso_error')).toBe('domain_not_allowed')
    const [row] = await server.db.db.select().from(users).where(eq(users.email, account.email))
    expect(row).toBeUndefined()
  })

  it('refuses an email the provider does not say is verified', async () => {
    const account = person({ emailVerified: false })
    expect(hashParam(await signIn(account), 'sso_error')).toBe('email_unverified')
    const audits = await server.db.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.actorEmail, account.email))
    expect(audits).toEqual([
      expect.objectContaining({
        action: 'auth.sso',
        outcome: 'error',
        errorCode: 'email_unverified',
        orgId,
      }),
    ])
  })

  it('never signs in to another organization’s user with the same email', async () => {
    const email = `taken-${Date.now()}@${domain}`
    const other = await createApiClient(server.url).auth.register.mutate({
      email,
      password: 'correct horse battery staple',
      orgName: 'Other Org',
    })
    if (other.status !== 'signed_in') throw new Error('expected a session')
    expect(hashParam(await signIn(person({ email })), 'sso_error')).toBe('account_conflict')
    const [row] = await server.db.db.select().from(users).where(eq(users.email, email))
    expect(row?.orgId).toBe(other.user.orgId)
  })

  it('links an existing user of the organization by their verified email', async () => {
    const email = `member-${Date.now()}@${domain}`
    const member = await admin.users.create.mutate({
      email,
      password: 'correct horse battery staple',
      role: 'user',
    })
    const account = person({ email })
    const session = await exchange(hashParam(await signIn(account), 'code'))
    expect(session.user).toMatchObject({ id: member.id, role: 'user', emailVerified: true })
    // Linked: the identity signs in again even after the user becomes an admin.
    await admin.users.update.mutate({ id: member.id, role: 'admin' })
    const again = await exchange(hashParam(await signIn(account), 'code'))
    expect(again.user).toMatchObject({ id: member.id, role: 'admin' })
  })

  it('does not link an admin, nor a user with two-factor sign-in on, by email alone', async () => {
    const stamp = Date.now()
    const adminEmail = `admin-${stamp}@${domain}`
    const adminMember = await admin.users.create.mutate({
      email: adminEmail,
      password: 'correct horse battery staple',
      role: 'admin',
    })
    const totpEmail = `totp-${stamp}@${domain}`
    const totpMember = await admin.users.create.mutate({
      email: totpEmail,
      password: 'correct horse battery staple',
      role: 'user',
    })
    await server.db.db
      .update(users)
      .set({ totpEnabledAt: new Date() })
      .where(eq(users.id, totpMember.id))
    for (const email of [adminEmail, totpEmail]) {
      expect(hashParam(await signIn(person({ email })), 'sso_error')).toBe('link_required')
    }
    const links = await server.db.db.select().from(ssoLinks).where(eq(ssoLinks.orgId, orgId))
    const linkedIds = links.map((link) => link.userId)
    expect(linkedIds).not.toContain(adminMember.id)
    expect(linkedIds).not.toContain(totpMember.id)
    const audits = await server.db.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.actorEmail, adminEmail))
    expect(audits).toEqual([
      expect.objectContaining({ action: 'auth.sso', outcome: 'error', errorCode: 'link_required' }),
    ])
  })

  it('does not hand a linked account to another subject with the same (recycled) email', async () => {
    const email = `recycled-${Date.now()}@${domain}`
    const first = await exchange(hashParam(await signIn(person({ email })), 'code'))
    // The provider gives the address to someone else: a new subject.
    const landed = await signIn(person({ email }))
    expect(hashParam(landed, 'sso_error')).toBe('account_conflict')
    const links = await server.db.db
      .select()
      .from(ssoLinks)
      .where(eq(ssoLinks.userId, first.user.id))
    expect(links).toHaveLength(1)
  })

  it('ends SSO sessions, and refuses codes not collected yet, when SSO is turned off', async () => {
    // An organization of its own: turning its SSO off leaves the other tests alone.
    const ownDomain = `sso-off-${Date.now()}.example`
    const owner = await createApiClient(server.url).auth.register.mutate({
      email: `owner@${ownDomain}`,
      password: 'correct horse battery staple',
      orgName: 'SSO Off Org',
    })
    if (owner.status !== 'signed_in') throw new Error('expected a session')
    const ownAdmin = createApiClient(server.url, owner.accessToken)
    const settings = {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      domains: [ownDomain],
    }
    await ownAdmin.sso.update.mutate(settings)
    const signedIn = await exchange(
      hashParam(await signIn(person({ email: `a@${ownDomain}` })), 'code'),
    )
    const pending = hashParam(await signIn(person({ email: `b@${ownDomain}` })), 'code')
    await ownAdmin.sso.update.mutate({ ...settings, isEnabled: false })
    // A code of a sign-in finished before SSO was turned off is no longer collected.
    expect(readErrorCode(await exchange(pending).catch((error: unknown) => error))).toBe(
      'UNAUTHORIZED',
    )
    // Turning it off ended the session SSO made: its access and its refresh token.
    const byAccess = await createApiClient(server.url, signedIn.accessToken)
      .auth.me.query()
      .catch((error: unknown) => error)
    expect(readErrorCode(byAccess)).toBe('UNAUTHORIZED')
    const byRefresh = await createApiClient(server.url)
      .auth.refresh.mutate({ refreshToken: signedIn.refreshToken })
      .catch((error: unknown) => error)
    expect(readErrorCode(byRefresh)).toBe('UNAUTHORIZED')
    // The password session of the organization's admin stays; other organizations' too.
    expect((await ownAdmin.auth.me.query()).id).toBe(owner.user.id)
    expect(await admin.sso.get.query()).toMatchObject({ isEnabled: true })
    // Removing SSO ends the sessions it made in the same way.
    await ownAdmin.sso.update.mutate({ ...settings, isEnabled: true })
    const again = await exchange(
      hashParam(await signIn(person({ email: `c@${ownDomain}` })), 'code'),
    )
    expect((await createApiClient(server.url, again.accessToken).auth.me.query()).email).toBe(
      `c@${ownDomain}`,
    )
    await ownAdmin.sso.remove.mutate()
    const afterRemove = await createApiClient(server.url, again.accessToken)
      .auth.me.query()
      .catch((error: unknown) => error)
    expect(readErrorCode(afterRemove)).toBe('UNAUTHORIZED')
  })

  it('turns an unexpected error into sso_error=failed, logged without the URL', async () => {
    // PostgreSQL text refuses NUL: the user lookup fails with a database error, no SsoFailure.
    const account = person({ email: `nul\u0000${Date.now()}@${domain}` })
    const lines: string[] = []
    const write = process.stderr.write.bind(process.stderr)
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      lines.push(String(chunk))
      return write(chunk, ...rest)
    }) as typeof process.stderr.write
    let landed: string
    try {
      landed = await signIn(account)
    } finally {
      process.stderr.write = write
    }
    expect(landed).toBe(`${server.url}/#/login?sso_error=failed`)
    const logged = lines.filter((line) => line.includes('sso'))
    expect(logged.length).toBeGreaterThan(0)
    expect(logged.join('')).toContain('"path":"/api/sso/callback"')
    expect(logged.join('')).not.toContain('state=')
    expect(logged.join('')).not.toContain('code=')
    expect(logged.join('')).not.toContain('nul')
  })

  it('sends an email without single sign-on back to the sign-in page', async () => {
    const landed = await new SsoBrowser().follow(startUrl('someone@no-sso.example'))
    expect(landed).toBe(`${server.url}/#/login?sso_error=unavailable`)
    const bogus = await new SsoBrowser().follow(
      `${server.url}/api/sso/start?org=not-a-uuid&browser=${BROWSER}`,
    )
    expect(hashParam(bogus, 'sso_error')).toBe('unavailable')
  })
})
