import { TEST_PASSWORD } from '@fms/testkit'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'

/** Signs up through the register page; lands on the live map. */
export async function signUp(page: Page, email: string, orgName: string) {
  await page.getByRole('link', { name: 'Create an account' }).click()
  await page.getByLabel('Organization name').fill(orgName)
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
}

export async function signIn(page: Page, email: string, password = TEST_PASSWORD) {
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
}

export async function openNav(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click()
  await page
    .getByRole('heading', { level: 1 })
    .filter({ hasText: name === 'Live map' ? 'Fleet' : name })
    .waitFor()
}

/** Waits for the WebSocket indicator to say the connection is live. */
export async function waitForLive(page: Page) {
  await page
    .getByRole('status')
    .filter({ hasText: /^Live$/ })
    .waitFor()
}

/** The error text an input points at with `aria-describedby` ('' when none). */
export async function readDescribedError(page: Page, label: string): Promise<string> {
  const input = page.getByLabel(label, { exact: true })
  expect(await input.getAttribute('aria-invalid')).toBe('true')
  const errorId = await input.getAttribute('aria-describedby')
  if (!errorId) return ''
  return (await page.locator(`[id="${errorId}"]`).textContent()) ?? ''
}
