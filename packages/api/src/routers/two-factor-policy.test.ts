import { hashOpaqueToken, totpCodeAt } from '@fms/auth'
import { ssoConfigs, ssoExchanges } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestApi,
  expectTRPCError,
  makeVin,
  requireSignedIn,
  type TestApi,
} from '../testing.ts'

let api: TestApi

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(() => api?.close())

const PASSWORD = 'correct horse'

/** An organization requiring two-factor sign-in for admins, and an admin without it, signed in by password. */
async function requiringOrg() {
  const owner = await api.registerOrg()
  const apiKey = await owner.caller.apiKeys.create({ name: 'ERP', scope: 'write' })
  await owner.caller.auth.twoFactor.setPolicy({ requireForAdmins: true })
  const session = requireSignedIn(
    await api.anonymous().auth.login({ email: owner.email, password: PASSWORD }),
  )
  expect(session.isTwoFactorSetupRequired).toBe(true)
  return { ...owner, apiKey, caller: api.withToken(session.accessToken), session }
}

describe('an organization requiring two-factor sign-in for admins', () => {
  it('refuses everything but setting it up to an admin signed in by password without it', async () => {
    const { caller } = await requiringOrg()
    const error = await expectTRPCError(caller.vehicles.list(), 'FORBIDDEN')
    expect(error.message).toMatch(/requires two-factor sign-in/)
    await expectTRPCError(caller.users.list(), 'FORBIDDEN')
    await expectTRPCError(caller.vehicles.create({ code: 'V-1', vin: makeVin() }), 'FORBIDDEN')
    await expectTRPCError(caller.auth.twoFactor.setPolicy({ requireForAdmins: false }), 'FORBIDDEN')
    await expectTRPCError(caller.apiKeys.create({ name: 'new', scope: 'read' }), 'FORBIDDEN')
    // What the account page needs still answers.
    expect((await caller.auth.me()).role).toBe('admin')
    expect(await caller.auth.sessions()).toHaveLength(2) // the sign-up and this sign-in
    expect((await caller.auth.twoFactor.status()).isRequiredForAdmins).toBe(true)
    expect(await caller.settings.get()).toHaveProperty('organization')
    // Once set up, the same session may do everything.
    const { secret } = await caller.auth.twoFactor.enrol()
    await caller.auth.twoFactor.confirm({ otp: totpCodeAt(secret, Date.now()) })
    expect(await caller.vehicles.list()).toMatchObject({ items: [] })
  })

  it('refuses a live subscription too', async () => {
    const { caller } = await requiringOrg()
    await expectTRPCError(
      Promise.resolve().then(() => caller.alerts.live({})),
      'FORBIDDEN',
    )
  })

  it('leaves users, and admins when the policy is off, alone', async () => {
    const owner = await api.registerOrg()
    const user = await api.addUser(owner.caller, 'user')
    await owner.caller.auth.twoFactor.setPolicy({ requireForAdmins: true })
    expect(await user.caller.vehicles.list()).toMatchObject({ items: [] })
    const relaxed = await api.registerOrg()
    expect(await relaxed.caller.vehicles.list()).toMatchObject({ items: [] })
  })

  it('exempts an admin signed in by single sign-on (the provider is the factor)', async () => {
    const { session } = await requiringOrg()
    const code = 'c'.repeat(43)
    const browser = 'b'.repeat(43)
    const issuer = 'https://idp.example'
    // The exchange needs the organization's single sign-on still enabled at its issuer.
    await api.deps.db.insert(ssoConfigs).values({
      orgId: session.user.orgId,
      issuer,
      clientId: 'client',
      clientSecretSealed: 'sealed',
    })
    await api.deps.db.insert(ssoExchanges).values({
      codeHash: hashOpaqueToken(code),
      userId: session.user.id,
      orgId: session.user.orgId,
      issuer,
      browserHash: hashOpaqueToken(browser),
      expiresAt: new Date(Date.now() + 60_000),
    })
    const sso = await api.anonymous().auth.ssoExchange({ code, browser })
    expect(sso.isTwoFactorSetupRequired).toBe(false)
    expect(await api.withToken(sso.accessToken).vehicles.list()).toMatchObject({ items: [] })
    // The exemption survives a refresh (the session keeps how it signed in).
    const refreshed = await api.anonymous().auth.refresh({ refreshToken: sso.refreshToken })
    expect(await api.withToken(refreshed.accessToken).vehicles.list()).toMatchObject({
      items: [],
    })
  })

  it('keeps an API key of such an admin working (a key is not a sign-in)', async () => {
    const { apiKey } = await requiringOrg()
    expect(await api.withApiKey(apiKey.secret).vehicles.list()).toMatchObject({ items: [] })
  })
})
