import { provisionFleet, TEST_PASSWORD, uniqueEmail } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, signIn, signOut } from '../support/pages'

let e2e: TE2e

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

describe('roles', () => {
  it('lets an admin add a user who is offered only the pages a user may use', async () => {
    const org = await provisionFleet(e2e.server.url, {
      orgName: 'Role Call Transport',
      codes: ['BUS-7'],
    })
    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await openNav(page, 'Users')
    const userEmail = uniqueEmail('driver')
    await page.getByLabel('Email', { exact: true }).fill(userEmail)
    await page.getByLabel('Initial password').fill('short')
    await page.getByRole('button', { name: 'Add user' }).click()
    await page.getByText('At least 8 characters').waitFor()
    await page.getByLabel('Initial password').fill(TEST_PASSWORD)
    await page.getByLabel('Role', { exact: true }).selectOption('user')
    await page.getByRole('button', { name: 'Add user' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `${userEmail} added as user.` })
      .waitFor()
    await page.getByRole('rowheader', { name: userEmail }).waitFor()
    await screenshot(page, 'roles-01-users-page')
    await signOut(page)

    await signIn(page, userEmail)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    const nav = page.getByRole('navigation', { name: 'Main' })
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Live map',
      'Overview',
      'Vehicles',
      'Devices',
      'Drivers',
      'Maintenance',
      'Fuel',
      'Alerts',
      'Reports',
    ])
    // Users log services but don't plan schedules.
    await openNav(page, 'Maintenance')
    await page.getByRole('form', { name: 'Log a service' }).waitFor()
    expect(await page.getByRole('form', { name: 'Add a schedule' }).count()).toBe(0)
    await openNav(page, 'Vehicles')
    await page.getByRole('rowheader', { name: 'BUS-7' }).waitFor()
    expect(await page.getByRole('form').count()).toBe(0)
    expect(await page.getByRole('button', { name: /Edit|Remove/ }).count()).toBe(0)
    await screenshot(page, 'roles-02-user-vehicles-read-only')
    await openNav(page, 'Devices')
    await page.getByRole('row').nth(1).waitFor()
    expect(await page.getByRole('columnheader', { name: 'API token' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: /Edit|Remove/ }).count()).toBe(0)

    await page.goto(new URL('/#/tokens', e2e.server.url).href)
    await page.getByRole('heading', { name: 'Not available' }).waitFor()
    await page.goto(new URL('/#/users', e2e.server.url).href)
    await page.getByRole('heading', { name: 'Not available' }).waitFor()
    await screenshot(page, 'roles-03-user-admin-page-refused')
    expect(pageErrors).toEqual([])
  })
})
