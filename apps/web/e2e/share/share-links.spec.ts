import { postPoints, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, signIn } from '../support/pages'

let e2e: TE2e

beforeAll(async () => {
  e2e = await startE2e({ WS_SESSION_CHECK_SEC: '1' })
})

afterAll(() => stopE2e(e2e))

describe('share links', () => {
  it('shares one vehicle live without signing in, and ends the open page on revocation', async () => {
    const org = await provisionFleet(e2e.server.url, { codes: ['TRUCK-7', 'SECRET-9'] })
    const [truck, other] = org.vehicles

    const admin = await openApp(e2e)
    await signIn(admin.page, org.email)
    await admin.page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await openNav(admin.page, 'Vehicles')
    await admin.page.getByText('Share vehicles with a link').click()
    await admin.page.getByRole('checkbox', { name: 'TRUCK-7' }).check()
    await admin.page.getByLabel('Name (shown on the page)').fill('<b>Delivery</b> 42')
    await admin.page.getByRole('button', { name: 'Create link' }).click()
    const linkField = admin.page.getByRole('textbox', { name: 'Link to <b>Delivery</b> 42' })
    await linkField.waitFor()
    await admin.page.getByRole('button', { name: 'Copy link' }).click()
    await admin.page.getByText('Copied.').waitFor()
    const url = await admin.page.evaluate(() => navigator.clipboard.readText())
    expect(url).toBe(await linkField.inputValue())
    expect(url).toMatch(/\/#\/share\/fsl_[A-Za-z0-9_-]{43}$/)

    // A stranger's browser: no session at all.
    const stranger = await openApp(e2e, `/${new URL(url).hash}`)
    await stranger.page.getByRole('heading', { name: '<b>Delivery</b> 42', level: 1 }).waitFor()
    const list = stranger.page.getByRole('list', { name: 'Shared vehicles' })
    await list.getByText('TRUCK-7').waitFor()
    expect(await stranger.page.getByRole('navigation', { name: 'Main' }).count()).toBe(0)
    await postPoints(e2e.server.url, org.token.secret, [
      { device_id: other!.deviceId, lat: 48.1, lon: 11.5, speed: 10 },
      { device_id: truck!.deviceId, lat: 52.52, lon: 13.405, speed: 50 },
    ])
    await list.getByText('52.52000, 13.40500').waitFor()
    expect(await stranger.page.getByText('SECRET-9').count()).toBe(0)
    await screenshot(stranger.page, 'share-page')

    await admin.page.getByRole('button', { name: 'Revoke' }).click()
    await stranger.page.getByRole('heading', { name: 'This link has ended' }).waitFor()
    expect(stranger.pageErrors).toEqual([])
    expect(admin.pageErrors).toEqual([])
  })
})

describe('units', () => {
  it("shows speeds in mph once the organization chose miles, and the user's own choice over it", async () => {
    const org = await provisionFleet(e2e.server.url, { codes: ['VAN-1'] })
    await postPoints(e2e.server.url, org.token.secret, [
      { device_id: org.vehicle.deviceId, lat: 52.5, lon: 13.4, speed: 100 },
    ])
    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    const vehicleList = page.getByRole('list').filter({ hasText: 'VAN-1' }).first()
    await vehicleList.getByText('100 km/h').waitFor()

    await openNav(page, 'Settings')
    await page.getByLabel('Distance and speed').selectOption('mi')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText('Settings saved.').waitFor()
    await openNav(page, 'Live map')
    // 100 km/h is 62.14 mph.
    await page.getByRole('list').filter({ hasText: 'VAN-1' }).first().getByText('62 mph').waitFor()

    await page.goto(new URL('/#/account', e2e.server.url).href)
    await page.getByRole('heading', { name: 'Your display settings' }).waitFor()
    await page.getByLabel('Distance and speed').selectOption('km')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText('Settings saved.').waitFor()
    await openNav(page, 'Live map')
    await page
      .getByRole('list')
      .filter({ hasText: 'VAN-1' })
      .first()
      .getByText('100 km/h')
      .waitFor()
    expect(pageErrors).toEqual([])
  })
})
