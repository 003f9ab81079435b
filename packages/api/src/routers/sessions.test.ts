import { eq } from '@fms/db'
import { auditLog, refreshTokens } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInnerContext } from '../context.ts'
import { createCaller } from '../root.ts'
import { describeDevice } from '../services/sessions.ts'
import { createTestApi, expectTRPCError, requireSignedIn, type TestApi } from '../testing.ts'

let api: TestApi

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(() => api?.close())

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'

/** An anonymous caller from this client (User-Agent and address). */
function from(userAgent: string, clientIp: string) {
  return createCaller(createInnerContext(api.deps, { userAgent, clientIp }))
}

/** Signs the user in from this client; returns its session and a caller with its token. */
async function signIn(email: string, userAgent: string, clientIp: string) {
  const session = requireSignedIn(
    await from(userAgent, clientIp).auth.login({ email, password: 'correct horse' }),
  )
  return { session, caller: api.withToken(session.accessToken) }
}

describe('sessions', () => {
  it('lists the live sessions with device, address and times, the caller’s own marked', async () => {
    const { email } = await api.registerOrg()
    const laptop = await signIn(email, FIREFOX_LINUX, '198.51.100.7')
    const phone = await signIn(email, SAFARI_IPHONE, '2001:db8::5')

    const list = await laptop.caller.auth.sessions()
    // The sign-up's own session is live too.
    expect(list).toHaveLength(3)
    const mine = list.find((entry) => entry.isCurrent)
    expect(mine).toMatchObject({
      device: 'Firefox on Linux',
      userAgent: FIREFOX_LINUX,
      clientIp: '198.51.100.7',
    })
    expect(list.filter((entry) => entry.isCurrent)).toHaveLength(1)
    const other = list.find((entry) => entry.clientIp === '2001:db8::5')
    expect(other).toMatchObject({ device: 'Safari on iOS', isCurrent: false })
    expect((await phone.caller.auth.sessions()).find((e) => e.isCurrent)?.id).toBe(other?.id)
    // Never a token or a digest.
    const text = JSON.stringify(list)
    const rows = await api.deps.db.select().from(refreshTokens)
    for (const row of rows) expect(text).not.toContain(row.tokenHash)
    expect(text).not.toContain(laptop.session.refreshToken)
  })

  it('shows the latest rotation as last used, from the client that refreshed', async () => {
    const { email } = await api.registerOrg()
    const laptop = await signIn(email, FIREFOX_LINUX, '198.51.100.7')
    const [before] = (await laptop.caller.auth.sessions()).filter((e) => e.isCurrent)
    const rotated = await from(SAFARI_IPHONE, '203.0.113.9').auth.refresh({
      refreshToken: laptop.session.refreshToken,
    })
    const list = await api.withToken(rotated.accessToken).auth.sessions()
    const current = list.find((e) => e.isCurrent)
    expect(current?.id).toBe(before?.id)
    expect(current?.clientIp).toBe('203.0.113.9')
    expect(current?.createdAt).toEqual(before?.createdAt)
    expect(current?.lastUsedAt.getTime()).toBeGreaterThanOrEqual(before?.lastUsedAt.getTime() ?? 0)
    // One entry per family, not one per token.
    expect(list.filter((e) => e.id === before?.id)).toHaveLength(1)
  })

  it('revokes a session: its refresh token and its access token stop working at once', async () => {
    const { email } = await api.registerOrg()
    const laptop = await signIn(email, FIREFOX_LINUX, '198.51.100.7')
    const phone = await signIn(email, SAFARI_IPHONE, '198.51.100.8')
    const phoneId = (await phone.caller.auth.sessions()).find((e) => e.isCurrent)?.id ?? ''

    expect(await laptop.caller.auth.revokeSession({ id: phoneId })).toEqual({
      ok: true,
      isCurrent: false,
    })
    await expectTRPCError(
      api.anonymous().auth.refresh({ refreshToken: phone.session.refreshToken }),
      'UNAUTHORIZED',
    )
    await expectTRPCError(phone.caller.auth.me(), 'UNAUTHORIZED')
    const left = await laptop.caller.auth.sessions()
    expect(left.map((e) => e.id)).not.toContain(phoneId)
    // The laptop is untouched.
    expect((await laptop.caller.auth.me()).email).toBe(email)
    await api.anonymous().auth.refresh({ refreshToken: laptop.session.refreshToken })

    const audit = await api.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'auth.revokeSession'))
    expect(audit.some((row) => row.objectId === phoneId && row.outcome === 'ok')).toBe(true)
  })

  it('revoking the current session signs the caller out', async () => {
    const { email } = await api.registerOrg()
    const laptop = await signIn(email, FIREFOX_LINUX, '198.51.100.7')
    const id = (await laptop.caller.auth.sessions()).find((e) => e.isCurrent)?.id ?? ''
    expect(await laptop.caller.auth.revokeSession({ id })).toEqual({ ok: true, isCurrent: true })
    await expectTRPCError(laptop.caller.auth.sessions(), 'UNAUTHORIZED')
  })

  it('refuses another user’s session as NOT_FOUND and changes nothing', async () => {
    const { caller: admin, email } = await api.registerOrg()
    const colleague = await api.addUser(admin)
    const stranger = await api.registerOrg()
    const theirs = (await stranger.caller.auth.sessions())[0]?.id ?? ''
    const colleagues = (await colleague.caller.auth.sessions())[0]?.id ?? ''
    await expectTRPCError(admin.auth.revokeSession({ id: theirs }), 'NOT_FOUND')
    await expectTRPCError(admin.auth.revokeSession({ id: colleagues }), 'NOT_FOUND')
    await expectTRPCError(
      admin.auth.revokeSession({ id: '00000000-0000-4000-8000-000000000000' }),
      'NOT_FOUND',
    )
    await expectTRPCError(admin.auth.revokeSession({ id: 'not-a-uuid' }), 'BAD_REQUEST')
    expect(await stranger.caller.auth.sessions()).toHaveLength(1)
    expect(await colleague.caller.auth.sessions()).toHaveLength(1)
    expect((await admin.auth.me()).email).toBe(email)
  })

  it('revokes every other session and keeps the caller’s', async () => {
    const { email } = await api.registerOrg()
    const laptop = await signIn(email, FIREFOX_LINUX, '198.51.100.7')
    const phone = await signIn(email, SAFARI_IPHONE, '198.51.100.8')
    expect(await laptop.caller.auth.revokeOtherSessions()).toEqual({ revoked: 2 })
    const list = await laptop.caller.auth.sessions()
    expect(list).toHaveLength(1)
    expect(list[0]?.isCurrent).toBe(true)
    await expectTRPCError(phone.caller.auth.me(), 'UNAUTHORIZED')
  })

  it('keeps an access token without a session id (issued before sid) working', async () => {
    const { session } = await api.registerOrg()
    const { token } = await api.deps.jwt.signAccessToken({
      sub: session.user.id,
      org: session.user.orgId,
      role: session.user.role,
    })
    const list = await api.withToken(token).auth.sessions()
    expect(list).toHaveLength(1)
    expect(list[0]?.isCurrent).toBe(false)
  })
})

describe('describeDevice', () => {
  it('names browser and system, or shows the header cut short without control characters', () => {
    expect(describeDevice(FIREFOX_LINUX)).toBe('Firefox on Linux')
    expect(describeDevice(SAFARI_IPHONE)).toBe('Safari on iOS')
    expect(
      describeDevice(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      ),
    ).toBe('Edge on Windows')
    expect(
      describeDevice(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome on Linux')
    expect(describeDevice(null)).toBe('Unknown device')
    expect(describeDevice('curl/8.5.0')).toBe('curl/8.5.0')
    const long = `<script>${'x'.repeat(200)}\u0000\n`
    const shown = describeDevice(long)
    expect(shown).toHaveLength(80)
    expect(shown).not.toMatch(/\p{Cc}/u)
  })
})

describe('sessions and API keys', () => {
  it('refuses an integrator API key: keys have no sessions and may not end the admin’s', async () => {
    const { caller } = await api.registerOrg()
    const { secret } = await caller.apiKeys.create({ name: 'ERP', scope: 'write' })
    const key = api.withApiKey(secret)
    await expectTRPCError(key.auth.sessions(), 'FORBIDDEN')
    await expectTRPCError(key.auth.revokeOtherSessions(), 'FORBIDDEN')
    expect(await caller.auth.sessions()).toHaveLength(1)
  })
})
