import { eq } from '@fms/db'
import { auditLog, ssoConfigs, users } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiDeps, createInnerContext } from '../context.ts'
import { createCaller } from '../root.ts'
import { guardedFetch, SsoAddressError } from '../services/sso-fetch.ts'
import { clearProviderCache } from '../services/sso-oidc.ts'
import { createTestApi, expectTRPCError, requireSignedIn, type TestApi } from '../testing.ts'
import { startTestIdp, type TestIdp } from '../testing-oidc.ts'

let api: TestApi
let idp: TestIdp
let counter = 0

beforeAll(async () => {
  api = await createTestApi()
  idp = await startTestIdp({ redirectUris: ['https://fms.test/api/sso/callback'] })
})
afterAll(async () => {
  await idp?.close()
  await api?.close()
})

const domain = () => `corp${++counter}-${Date.now()}.example`

/** Settings-only tests: the operator trusts every `.example` domain (SSO_TRUSTED_DOMAINS). */
const TRUSTED = ['*.example']

function callerFor(accessToken: string, extra: Partial<ApiDeps> = {}) {
  return createCaller(createInnerContext({ ...api.deps, ...extra }, { accessToken }))
}

/** A new organization whose admin's caller runs with the trusted `.example` domains. */
async function registerOrg() {
  const org = await api.registerOrg()
  return { ...org, caller: callerFor(org.session.accessToken, { ssoTrustedDomains: TRUSTED }) }
}

/** A new organization whose admin signs up as `email`, verified or not; no trusted domains. */
async function registerAdminAt(email: string, options: { isVerified: boolean }) {
  const session = requireSignedIn(
    await api.anonymous().auth.register({ email, password: 'correct horse', orgName: 'Org' }),
  )
  if (options.isVerified) {
    await api.deps.db
      .update(users)
      .set({ emailVerifiedAt: new Date() })
      .where(eq(users.id, session.user.id))
  }
  return { session, caller: callerFor(session.accessToken) }
}

function settings(domains: string[]) {
  return {
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    domains,
    defaultRole: 'user' as const,
  }
}

describe('sso settings', () => {
  it('saves after discovery, seals the secret, and never answers it', async () => {
    const { caller, session } = await registerOrg()
    expect(await caller.sso.get()).toEqual({ isConfigured: false, redirectUri: null })
    const name = domain()
    const saved = await caller.sso.update(settings([name.toUpperCase(), name]))
    expect(saved).toMatchObject({
      isConfigured: true,
      issuer: idp.issuer,
      clientId: idp.clientId,
      hasClientSecret: true,
      domains: [name],
      defaultRole: 'user',
      isEnabled: true,
    })
    expect(JSON.stringify(saved)).not.toContain(idp.clientSecret)
    expect(JSON.stringify(await caller.sso.get())).not.toContain(idp.clientSecret)
    const [row] = await api.deps.db
      .select()
      .from(ssoConfigs)
      .where(eq(ssoConfigs.orgId, session.user.orgId))
    expect(row?.clientSecretSealed).toMatch(/^v1\./)
    expect(row?.clientSecretSealed).not.toContain(idp.clientSecret)
    // The audit row of the update holds no secret.
    const audits = await api.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.orgId, session.user.orgId))
    const update = audits.find((audit) => audit.action === 'sso.update')
    expect(update?.outcome).toBe('ok')
    expect(JSON.stringify(audits)).not.toContain(idp.clientSecret)
  })

  it('keeps the stored secret when an update leaves it out, and needs one the first time', async () => {
    const { caller, session } = await registerOrg()
    const { clientSecret: _omitted, ...withoutSecret } = settings([domain()])
    await expectTRPCError(caller.sso.update(withoutSecret), 'BAD_REQUEST')
    await caller.sso.update(settings([domain()]))
    const [before] = await api.deps.db
      .select()
      .from(ssoConfigs)
      .where(eq(ssoConfigs.orgId, session.user.orgId))
    const updated = await caller.sso.update({ ...withoutSecret, defaultRole: 'admin' })
    expect(updated).toMatchObject({ hasClientSecret: true, defaultRole: 'admin' })
    const [after] = await api.deps.db
      .select()
      .from(ssoConfigs)
      .where(eq(ssoConfigs.orgId, session.user.orgId))
    expect(after?.clientSecretSealed).not.toBe(before?.clientSecretSealed) // sealed afresh
    expect(after?.clientId).toBe(idp.clientId)
  })

  it('refuses an issuer that is not https or does not answer discovery', async () => {
    const { caller } = await registerOrg()
    for (const issuer of ['http://idp.example.com', 'https://user:pw@idp.example.com']) {
      const error = await expectTRPCError(
        caller.sso.update({ ...settings([domain()]), issuer }),
        'BAD_REQUEST',
      )
      expect(error.message).toMatch(/https|user or password/)
    }
    clearProviderCache()
    const error = await expectTRPCError(
      caller.sso.update({ ...settings([domain()]), issuer: `${idp.issuer}/nothing-here` }),
      'BAD_REQUEST',
    )
    expect(error.message).toMatch(/discovery/)
    expect(await caller.sso.get()).toMatchObject({ isConfigured: false })
  })

  it('gives a domain to one organization only: CONFLICT for another', async () => {
    const first = await registerOrg()
    const second = await registerOrg()
    const shared = domain()
    await first.caller.sso.update(settings([shared]))
    const error = await expectTRPCError(
      second.caller.sso.update(settings([domain(), shared])),
      'CONFLICT',
    )
    expect(error.message).toMatch(/another organization/)
    expect(await second.caller.sso.get()).toMatchObject({ isConfigured: false })
    // Once the first lets it go, the second may claim it.
    await first.caller.sso.remove()
    expect(await second.caller.sso.update(settings([shared]))).toMatchObject({
      domains: [shared],
    })
  })

  it('is for admins of the organization only', async () => {
    const admin = await registerOrg()
    await admin.caller.sso.update(settings([domain()]))
    const member = await api.addUser(admin.caller, 'user')
    await expectTRPCError(member.caller.sso.get(), 'FORBIDDEN')
    await expectTRPCError(member.caller.sso.update(settings([domain()])), 'FORBIDDEN')
    await expectTRPCError(member.caller.sso.remove(), 'FORBIDDEN')
    await expectTRPCError(api.anonymous().sso.get(), 'UNAUTHORIZED')
    // Another organization's admin sees only their own (nothing).
    const other = await registerOrg()
    expect(await other.caller.sso.get()).toEqual({ isConfigured: false, redirectUri: null })
    await expectTRPCError(other.caller.sso.remove(), 'NOT_FOUND')
    expect(await admin.caller.sso.get()).toMatchObject({ isConfigured: true })
  })

  it('tells the sign-in page whether an email has single sign-on, and nothing more', async () => {
    const { caller } = await registerOrg()
    const name = domain()
    await caller.sso.update(settings([name]))
    const anonymous = api.anonymous()
    expect(await anonymous.auth.ssoOptions({ email: `Someone@${name.toUpperCase()}` })).toEqual({
      available: true,
    })
    expect(await anonymous.auth.ssoOptions({ email: 'someone@elsewhere.example' })).toEqual({
      available: false,
    })
    await caller.sso.update({ ...settings([name]), isEnabled: false })
    expect(await anonymous.auth.ssoOptions({ email: `a@${name}` })).toEqual({ available: false })
  })

  it('refuses an unknown or malformed exchange code', async () => {
    await expectTRPCError(
      api.anonymous().auth.ssoExchange({ code: 'x'.repeat(43), browser: 'b'.repeat(43) }),
      'UNAUTHORIZED',
    )
    await expectTRPCError(
      api.anonymous().auth.ssoExchange({ code: 'short', browser: 'b'.repeat(43) }),
      'BAD_REQUEST',
    )
  })
})

describe('sso domains: only ones the organization shows are its own', () => {
  it('refuses a domain from an admin whose address there is not verified', async () => {
    const name = domain()
    const { caller } = await registerAdminAt(`boss@${name}`, { isVerified: false })
    const error = await expectTRPCError(caller.sso.update(settings([name])), 'FORBIDDEN')
    expect(error.message).toMatch(/Verify your email address first/)
    expect(await caller.sso.get()).toMatchObject({ isConfigured: false })
  })

  it("takes the acting admin's own verified domain, and no other", async () => {
    const name = domain()
    const { caller } = await registerAdminAt(`boss@${name}`, { isVerified: true })
    const other = domain()
    const error = await expectTRPCError(caller.sso.update(settings([name, other])), 'FORBIDDEN')
    expect(error.message).toContain(`not shown that ${other} is its own`)
    expect(error.message).toMatch(/SSO_TRUSTED_DOMAINS/)
    expect(await caller.sso.get()).toMatchObject({ isConfigured: false })
    // A trailing dot and upper case are the same domain.
    expect(await caller.sso.update(settings([`${name.toUpperCase()}.`]))).toMatchObject({
      domains: [name],
    })
  })

  it('never takes a public mail provider from a verified address there', async () => {
    const { caller } = await registerAdminAt(`fleet-boss-${Date.now()}@gmail.com`, {
      isVerified: true,
    })
    const error = await expectTRPCError(caller.sso.update(settings(['gmail.com'])), 'FORBIDDEN')
    expect(error.message).toMatch(/public mail provider/)
    expect(await caller.sso.get()).toMatchObject({ isConfigured: false })
  })

  it('takes what the operator trusts (SSO_TRUSTED_DOMAINS), IDN as punycode', async () => {
    const n = ++counter
    const { session } = await registerAdminAt(`boss${n}-${Date.now()}@example.com`, {
      isVerified: false,
    })
    const trusted = callerFor(session.accessToken, { ssoTrustedDomains: ['trusted.example'] })
    await expectTRPCError(trusted.sso.update(settings(['other.example'])), 'FORBIDDEN')
    expect(await trusted.sso.update(settings(['Trusted.Example.']))).toMatchObject({
      domains: ['trusted.example'],
    })
    // An internationalised name is stored (and matched) as punycode.
    const idn = callerFor(session.accessToken, { ssoTrustedDomains: ['*.xn--p1ai'] })
    const saved = await idn.sso.update(settings([`Пример${n}.рф`]))
    expect(saved).toMatchObject({ isConfigured: true })
    expect(saved.isConfigured && saved.domains[0]).toMatch(/^xn--[a-z0-9-]+\.xn--p1ai$/)
  })

  it('lets another admin keep the domains the organization already holds', async () => {
    const name = domain()
    const owner = await registerAdminAt(`boss@${name}`, { isVerified: true })
    await owner.caller.sso.update(settings([name]))
    const colleague = await api.addUser(owner.caller, 'admin')
    expect(
      await colleague.caller.sso.update({ ...settings([name]), defaultRole: 'admin' }),
    ).toMatchObject({ domains: [name], defaultRole: 'admin' })
    // …but adds none of its own without showing it.
    await expectTRPCError(colleague.caller.sso.update(settings([name, domain()])), 'FORBIDDEN')
  })
})

describe('sso issuers: public addresses only (SSRF guard)', () => {
  it('refuses loopback, private and names resolving to them unless the server allows it', async () => {
    const { session } = await registerOrg()
    const strict = callerFor(session.accessToken, {
      ssoTrustedDomains: TRUSTED,
      ssoAllowPrivateIssuers: false,
    })
    clearProviderCache()
    const port = new URL(idp.issuer).port
    for (const issuer of [
      idp.issuer, // http://127.0.0.1:<port>, the live test provider
      `https://127.0.0.1:${port}`,
      'https://10.0.0.1',
      'https://169.254.169.254',
      'https://[::ffff:127.0.0.1]',
      `https://localhost:${port}`, // a name: refused by what it resolves to
    ]) {
      const error = await expectTRPCError(
        strict.sso.update({ ...settings([domain()]), issuer }),
        'BAD_REQUEST',
      )
      expect(error.message, issuer).toMatch(/The issuer is refused/)
      expect(error.message, issuer).toMatch(/public|https/)
    }
    expect(await strict.sso.get()).toMatchObject({ isConfigured: false })
    // The same provider is taken when the server allows private issuers (as in these tests).
    const relaxed = callerFor(session.accessToken, { ssoTrustedDomains: TRUSTED })
    expect(await relaxed.sso.update(settings([domain()]))).toMatchObject({ isConfigured: true })
  })

  it('checks every request, not only the first: no private address, no plain http', async () => {
    const fetchStrict = guardedFetch(false)
    const port = new URL(idp.issuer).port
    const wellKnown = '/.well-known/openid-configuration'
    await expect(fetchStrict(`https://localhost:${port}${wellKnown}`)).rejects.toThrow(
      /localhost resolves to a non-public address \(loopback\)/,
    )
    await expect(fetchStrict(`https://[fd00::1]${wellKnown}`)).rejects.toThrow(/private/)
    await expect(fetchStrict(`https://100.64.0.1${wellKnown}`)).rejects.toThrow(/CGNAT/)
    await expect(fetchStrict(`http://example.com${wellKnown}`)).rejects.toBeInstanceOf(
      SsoAddressError,
    )
    // Allowed, it reaches the provider and answers like fetch, redirects not followed.
    const response = await guardedFetch(true)(`${idp.issuer}${wellKnown}`)
    expect(response.status).toBe(200)
    expect(((await response.json()) as { issuer: string }).issuer).toBe(idp.issuer)
  })
})

describe('sso client changes', () => {
  it('needs the secret again when the issuer or client id changes', async () => {
    const { caller, session } = await registerOrg()
    await caller.sso.update(settings([domain()]))
    const { clientSecret: _omitted, ...withoutSecret } = settings([domain()])
    const [before] = await api.deps.db
      .select()
      .from(ssoConfigs)
      .where(eq(ssoConfigs.orgId, session.user.orgId))
    for (const changed of [
      { ...withoutSecret, clientId: 'another-client' },
      { ...withoutSecret, issuer: idp.issuer.replace('127.0.0.1', 'localhost') },
    ]) {
      const error = await expectTRPCError(caller.sso.update(changed), 'BAD_REQUEST')
      expect(error.message).toMatch(/client secret again/)
    }
    const [after] = await api.deps.db
      .select()
      .from(ssoConfigs)
      .where(eq(ssoConfigs.orgId, session.user.orgId))
    expect(after?.clientSecretSealed).toBe(before?.clientSecretSealed)
    expect(after?.clientId).toBe(idp.clientId)
    // With a secret of its own, the new client is saved.
    expect(
      await caller.sso.update({ ...withoutSecret, clientId: 'another-client', clientSecret: 's3' }),
    ).toMatchObject({ clientId: 'another-client', hasClientSecret: true })
  })
})
