import { createApiClient, requireSignedIn, TEST_PASSWORD, uniqueEmail } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { readDescribedError, signIn, signOut } from '../support/pages'

let e2e: TE2e

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

describe('sign-in flow', () => {
  it('registers an organization, signs out and signs in again', async () => {
    const { page, pageErrors } = await openApp(e2e)
    const email = uniqueEmail()

    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.getByLabel('Organization name').fill('Acme Haulage')
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
    await screenshot(page, '01-register-form')
    await page.getByRole('button', { name: 'Create account' }).click()

    await page.getByRole('link', { name: `Signed in as ${email}` }).click()
    await page.getByRole('heading', { name: 'Acme Haulage', level: 1 }).waitFor()
    expect(await page.locator('dd').allTextContents()).toEqual(['Acme Haulage', 'admin'])
    await screenshot(page, '02-signed-in-after-register')

    await signOut(page)
    expect(await page.evaluate(() => localStorage.length)).toBe(0)
    await screenshot(page, '03-signed-out')

    await signIn(page, email, TEST_PASSWORD)
    await page.getByText(`Signed in as ${email}`).waitFor()
    await screenshot(page, '04-signed-in-again')
    expect(pageErrors).toEqual([])
  })

  it('offers no password reset when the server sends no email', async () => {
    const { page, pageErrors } = await openApp(e2e)
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
    // The sign-in page asked the server; with email off it shows no reset link.
    await page.waitForLoadState('networkidle')
    expect(await page.getByRole('link', { name: 'Forgot password?' }).count()).toBe(0)
    await page.goto(`${e2e.server.url}/#/forgot-password`)
    await page.getByText('This server does not send email').waitFor()
    expect(pageErrors).toEqual([])
  })

  it('shows an alert for a wrong password', async () => {
    const email = uniqueEmail()
    await createApiClient(e2e.server.url).auth.register.mutate({
      email,
      password: TEST_PASSWORD,
      orgName: 'Beta Freight',
    })
    const { page, pageErrors } = await openApp(e2e)

    await signIn(page, email, 'not the password')

    const alert = page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.textContent()).toBe('Invalid email or password')
    expect(await page.getByText('Signed in as').count()).toBe(0)
    await screenshot(page, '05-wrong-password')
    expect(pageErrors).toEqual([])
  })

  it('shows field errors from the shared schema before calling the server', async () => {
    const { page, pageErrors } = await openApp(e2e)

    await page.getByRole('button', { name: 'Sign in', exact: true }).click()

    expect(await readDescribedError(page, 'Email')).toBe('Enter a valid email address')
    expect(await readDescribedError(page, 'Password')).toBe('Enter your password')
    await screenshot(page, '06-field-errors')
    expect(pageErrors).toEqual([])
  })

  it('shows a server field error next to its field', async () => {
    const email = uniqueEmail()
    await createApiClient(e2e.server.url).auth.register.mutate({
      email,
      password: TEST_PASSWORD,
      orgName: 'Gamma Fleet',
    })
    const { page, pageErrors } = await openApp(e2e)

    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.getByLabel('Organization name').fill('Gamma Fleet Again')
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()

    await page.getByRole('alert').waitFor()
    expect(await readDescribedError(page, 'Email')).toBe(
      'An account with this email already exists',
    )
    await screenshot(page, '07-server-field-error')
    expect(pageErrors).toEqual([])
  })

  it('refreshes an access token that is about to expire before calling the server', async () => {
    const email = uniqueEmail()
    const signedUp = requireSignedIn(
      await createApiClient(e2e.server.url).auth.register.mutate({
        email,
        password: TEST_PASSWORD,
        orgName: 'Delta Transport',
      }),
    )
    const { page, pageErrors } = await openApp(e2e)
    const expiringSoon = {
      accessToken: signedUp.accessToken,
      refreshToken: signedUp.refreshToken,
      accessTokenExpiresAt: new Date(Date.now() + 5_000).toISOString(),
    }
    await page.evaluate((stored) => {
      localStorage.setItem('fms.session', JSON.stringify(stored))
    }, expiringSoon)

    await page.reload()

    await page.getByText(`Signed in as ${email}`).waitFor()
    const stored = await page.evaluate(() =>
      JSON.parse(localStorage.getItem('fms.session') ?? '{}'),
    )
    expect(stored.refreshToken).not.toBe(signedUp.refreshToken)
    expect(Date.parse(stored.accessTokenExpiresAt)).toBeGreaterThan(Date.now() + 60_000)
    expect(pageErrors).toEqual([])
  })
})
