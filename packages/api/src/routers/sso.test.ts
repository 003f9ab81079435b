import { eq } from '@fms/db'
import { auditLog, ssoConfigs } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clearProviderCache } from '../services/sso-oidc.ts'
import { createTestApi, expectTRPCError, type TestApi } from '../testing.ts'
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
    const { caller, session } = await api.registerOrg()
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
    const { caller, session } = await api.registerOrg()
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
    const { caller } = await api.registerOrg()
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
    const first = await api.registerOrg()
    const second = await api.registerOrg()
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
    const admin = await api.registerOrg()
    await admin.caller.sso.update(settings([domain()]))
    const member = await api.addUser(admin.caller, 'user')
    await expectTRPCError(member.caller.sso.get(), 'FORBIDDEN')
    await expectTRPCError(member.caller.sso.update(settings([domain()])), 'FORBIDDEN')
    await expectTRPCError(member.caller.sso.remove(), 'FORBIDDEN')
    await expectTRPCError(api.anonymous().sso.get(), 'UNAUTHORIZED')
    // Another organization's admin sees only their own (nothing).
    const other = await api.registerOrg()
    expect(await other.caller.sso.get()).toEqual({ isConfigured: false, redirectUri: null })
    await expectTRPCError(other.caller.sso.remove(), 'NOT_FOUND')
    expect(await admin.caller.sso.get()).toMatchObject({ isConfigured: true })
  })

  it('tells the sign-in page whether an email has single sign-on, and nothing more', async () => {
    const { caller } = await api.registerOrg()
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
