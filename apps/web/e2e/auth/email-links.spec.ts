import {
  readLinkToken,
  startSmtpServer,
  TEST_PASSWORD,
  type TestSmtpServer,
  uniqueEmail,
} from '@fms/testkit'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { signIn } from '../support/pages'

let smtp: TestSmtpServer
let e2e: TE2e

beforeAll(async () => {
  smtp = await startSmtpServer()
  e2e = await startE2e({ SMTP_URL: smtp.url, SMTP_FROM: 'FMS <accounts@example.test>' })
})

afterAll(async () => {
  await stopE2e(e2e)
  await smtp?.close()
})

const mailTo = (email: string, subject: string) =>
  smtp.waitFor((m) => m.to.includes(email) && m.parsed.subject === subject, 20_000)

/** Signs up in the browser; with email on, the page asks to check the inbox. */
async function signUpInBrowser(page: Page, email: string, orgName: string) {
  await page.getByRole('link', { name: 'Create an account' }).click()
  await page.getByLabel('Organization name').fill(orgName)
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByRole('heading', { name: 'Check your inbox' }).waitFor()
}

describe('accounts by email in the browser', () => {
  it('signs up, follows the emailed link and lands signed in on the live map', async () => {
    const { page, pageErrors } = await openApp(e2e)
    const email = uniqueEmail('owner')
    await signUpInBrowser(page, email, 'Link Haulage')
    await screenshot(page, 'email-01-check-inbox')

    const mail = await mailTo(email, 'Confirm your email address for FMS')
    const token = readLinkToken(mail, '/verify-email')
    await page.goto(`${e2e.server.url}/#/verify-email?token=${token}`)
    const confirm = page.getByRole('button', { name: 'Confirm my address' })
    await confirm.waitFor()
    expect(page.url()).not.toContain(token)
    await confirm.click()
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await page.getByRole('link', { name: `Signed in as ${email}` }).click()
    await page.getByRole('heading', { name: 'Link Haulage', level: 1 }).waitFor()
    expect(await page.locator('dd').allTextContents()).toEqual([
      'Link Haulage',
      'admin',
      'Verified',
    ])
    expect(pageErrors).toEqual([])
  })

  it('refuses an unconfirmed sign-in with the reason, and a used link with a way on', async () => {
    const { page, pageErrors } = await openApp(e2e)
    const email = uniqueEmail('late')
    await signUpInBrowser(page, email, 'Late Freight')
    const mail = await mailTo(email, 'Confirm your email address for FMS')
    await page.getByRole('link', { name: 'Sign in', exact: true }).click()
    await signIn(page, email)
    await page
      .getByRole('alert')
      .filter({ hasText: 'Confirm your email address first: we sent you a new link' })
      .waitFor()

    // Within minutes of the first link no other is sent: the first one still signs in, once.
    const link = `${e2e.server.url}/#/verify-email?token=${readLinkToken(mail, '/verify-email')}`
    await page.goto(link)
    await page.getByRole('button', { name: 'Confirm my address' }).click()
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await page.goto(link)
    await page.getByRole('button', { name: 'Confirm my address' }).click()
    await page
      .getByRole('alert')
      .filter({ hasText: 'This link is invalid or has expired' })
      .waitFor()
    await page.getByRole('link', { name: 'your account' }).click()
    await page.getByRole('heading', { name: 'Late Freight', level: 1 }).waitFor()
    await screenshot(page, 'email-02-bad-link')
    expect(pageErrors).toEqual([])
  })

  it('resets a forgotten password from the sign-in page and signs in with the new one', async () => {
    const { page, pageErrors } = await openApp(e2e)
    const email = uniqueEmail('forgetful')
    await signUpInBrowser(page, email, 'Forgetful Fleet')
    const verify = await mailTo(email, 'Confirm your email address for FMS')
    await page.goto(
      `${e2e.server.url}/#/verify-email?token=${readLinkToken(verify, '/verify-email')}`,
    )
    await page.getByRole('button', { name: 'Confirm my address' }).click()
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Sign out' }).click()

    await page.getByRole('link', { name: 'Forgot password?' }).click()
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByRole('button', { name: 'Send reset link' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `If an account exists for ${email}` })
      .waitFor()
    await screenshot(page, 'email-03-reset-sent')

    const mail = await mailTo(email, 'Reset your FMS password')
    const token = readLinkToken(mail, '/reset-password')
    await page.goto(`${e2e.server.url}/#/reset-password?token=${token}`)
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor()
    expect(page.url()).not.toContain(token)
    const password = 'my new password 42'
    await page.getByLabel('New password', { exact: true }).fill(password)
    await page.getByLabel('Repeat the new password').fill('something else')
    await page.getByRole('button', { name: 'Set password' }).click()
    await page.getByText('The passwords differ').waitFor()
    await page.getByLabel('Repeat the new password').fill(password)
    await page.getByRole('button', { name: 'Set password' }).click()
    await page.getByRole('heading', { name: 'Your password is changed' }).waitFor()
    await screenshot(page, 'email-04-reset-done')

    await page.getByRole('link', { name: 'Sign in', exact: true }).click()
    await signIn(page, email, password)
    await page.getByText(`Signed in as ${email}`).waitFor()
    expect(pageErrors).toEqual([])
  })
})
