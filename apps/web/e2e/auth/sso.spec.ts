import { startTestIdp, type TestIdp } from '@fms/api/testing-oidc'
import { createApiClient, requireSignedIn, TEST_PASSWORD } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'

let e2e: TE2e
let idp: TestIdp
let orgId: string
const domain = `sso-e2e-${Date.now()}.example`

beforeAll(async () => {
  e2e = await startE2e()
  idp = await startTestIdp({ redirectUris: [`${e2e.server.url}/api/sso/callback`] })
  const owner = requireSignedIn(
    await createApiClient(e2e.server.url).auth.register.mutate({
      email: `owner@${domain}`,
      password: TEST_PASSWORD,
      orgName: 'Single Sign-On Co',
    }),
  )
  orgId = owner.user.orgId
  await createApiClient(e2e.server.url, owner.accessToken).sso.update.mutate({
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    domains: [domain],
  })
}, 120_000)

afterAll(async () => {
  await idp?.close()
  await stopE2e(e2e)
})

const options = () => ({ allowOrigins: [idp.issuer] })

describe('single sign-on in the browser', () => {
  it('signs in with a work email through the provider and #/sso', async () => {
    const email = `driver@${domain}`
    idp.signInAs({ sub: 'e2e-driver', email, emailVerified: true })
    const { page, pageErrors } = await openApp(e2e, '/#/login', options())
    await page.getByRole('button', { name: 'Sign in with single sign-on' }).click()
    await page.getByLabel('Work email').fill(email)
    await screenshot(page, 'sso-01-email')
    const started = page.waitForRequest((request) => request.url().includes('/api/sso/start'))
    await page.getByRole('button', { name: 'Continue with single sign-on' }).click()
    // The sign-in carries this tab's key (32 random bytes, base64url), which #/sso presents again.
    const key = new URL((await started).url()).searchParams.get('browser')
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/)
    await page.getByText(`Signed in as ${email}`).waitFor()
    // The key was spent by the exchange: the next sign-in gets a fresh one.
    expect(await page.evaluate(() => sessionStorage.getItem('fms.ssoBrowser'))).toBeNull()
    // The one-time code is gone from the address bar, and the session is stored.
    expect(page.url()).not.toContain('code=')
    expect(await page.evaluate(() => localStorage.getItem('fms.session'))).toContain('accessToken')
    await screenshot(page, 'sso-02-signed-in')
    expect(pageErrors).toEqual([])
  })

  it('does not trade a code this tab did not start (a link from elsewhere)', async () => {
    const { page, pageErrors } = await openApp(e2e, `/#/sso?code=fmx_${'a'.repeat(43)}`, options())
    await page.getByText('This sign-in was not started in this browser tab').waitFor()
    expect(page.url()).not.toContain('code=')
    expect(await page.evaluate(() => localStorage.getItem('fms.session'))).toBeNull()
    expect(pageErrors).toEqual([])
  })

  it('says so when the email has no single sign-on', async () => {
    const { page, pageErrors } = await openApp(e2e, '/#/login', options())
    await page.getByRole('button', { name: 'Sign in with single sign-on' }).click()
    await page.getByLabel('Work email').fill('someone@elsewhere.example')
    await page.getByRole('button', { name: 'Continue with single sign-on' }).click()
    await page.getByText('Single sign-on is not set up for this email address').waitFor()
    expect(pageErrors).toEqual([])
  })

  it('shows the button at once on the organization’s link, and a refused sign-in as a message', async () => {
    idp.signInAs({ sub: 'e2e-unverified', email: `new@${domain}`, emailVerified: false })
    const { page, pageErrors } = await openApp(e2e, `/#/login?sso=${orgId}`, options())
    await page.getByRole('link', { name: 'Sign in with single sign-on' }).click()
    await page.getByRole('alert').filter({ hasText: 'did not confirm your email' }).waitFor()
    expect(page.url()).toContain('sso_error=email_unverified')
    await screenshot(page, 'sso-03-refused')
    expect(pageErrors).toEqual([])
  })
})
