import { createHistory, postPoints, startDriving, uniqueEmail } from '@fms/testkit'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, readDescribedError, signUp, waitForLive } from '../support/pages'

let e2e: TE2e
const BERLIN = { lat: 52.52, lon: 13.405 }
const VIN = '1HGCM82633A004352'

beforeAll(async () => {
  // Revocations take effect at once (no token cache), so the last step needs no waiting.
  e2e = await startE2e({ DEVICE_TOKEN_CACHE_SEC: '0' })
})

afterAll(() => stopE2e(e2e))

async function addVehicle(page: Page, code: string, plate: string) {
  await page.getByLabel('Code', { exact: true }).fill(code)
  await page.getByLabel('VIN', { exact: true }).fill(VIN)
  await page.getByLabel('Plate', { exact: true }).fill(plate)
  await page.getByRole('button', { name: 'Add vehicle' }).click()
}

async function createToken(page: Page, title: string): Promise<string> {
  await page.getByLabel('Title', { exact: true }).fill(title)
  await page.getByRole('button', { name: 'Create token' }).click()
  const secret = await page.getByLabel('Token secret').inputValue()
  expect(secret).toMatch(/^fmd_/)
  await page.getByRole('button', { name: 'Copy secret' }).click()
  await page.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret)
  return secret
}

async function addDevice(page: Page, externalId: string, vehicle: string, token: string) {
  await page.getByLabel('External ID (IMEI or serial)').fill(externalId)
  await page.getByLabel('Vehicle', { exact: true }).selectOption({ label: vehicle })
  await page.getByLabel('API token', { exact: true }).selectOption({ label: token })
  await page.getByRole('button', { name: 'Add device' }).click()
  await page
    .getByRole('status')
    .filter({ hasText: `Device ${externalId} added.` })
    .waitFor()
}

/** The list row of a vehicle on the live map (a button named by its code, status and speed). */
function listRow(page: Page, code: string) {
  return page
    .getByRole('list', { name: 'Vehicles' })
    .getByRole('button', { name: new RegExp(`^${code}\\b`) })
}

describe('fleet flow', () => {
  it('signs up, provisions a tracked vehicle, follows it live and on its page, revokes the token', async () => {
    const { page, pageErrors } = await openApp(e2e)
    await signUp(page, uniqueEmail('admin'), 'Northwind Logistics')
    await waitForLive(page)
    expect(await page.getByText('0 vehicles').count()).toBe(1)
    await screenshot(page, 'fleet-01-empty-map')

    await openNav(page, 'Vehicles')
    await addVehicle(page, 'TRUCK-1', 'B-NW 101')
    await page.getByRole('status').filter({ hasText: 'Vehicle TRUCK-1 added.' }).waitFor()
    await page.getByRole('rowheader', { name: 'TRUCK-1' }).waitFor()
    await addVehicle(page, 'TRUCK-1', 'B-NW 102')
    await page.getByRole('alert').filter({ hasText: 'Please correct the fields below.' }).waitFor()
    expect(await readDescribedError(page, 'Code')).toBe('A vehicle with this code already exists')
    await screenshot(page, 'fleet-02-vehicles-duplicate-code')

    await openNav(page, 'API tokens')
    const secret = await createToken(page, 'Trackers')
    await screenshot(page, 'fleet-03-token-secret-once')
    await page.getByRole('button', { name: 'Done' }).click()
    expect(await page.getByLabel('Token secret').count()).toBe(0)
    expect(await page.content()).not.toContain(secret)

    await openNav(page, 'Devices')
    await addDevice(page, 'IMEI-356938035643809', 'TRUCK-1', 'Trackers')
    await screenshot(page, 'fleet-04-devices')

    // History for the vehicle page, then a live drive seen on the map and in the list.
    const drive = { serverUrl: e2e.server.url, secret, start: BERLIN, heading: 45, speedKmh: 54 }
    const history = createHistory(drive)
    expect(await postPoints(e2e.server.url, secret, history.points)).toBe(200)
    await openNav(page, 'Live map')
    const driving = startDriving({ ...drive, start: history.end })
    try {
      await expect.poll(() => listRow(page, 'TRUCK-1').textContent()).toContain('Moving')
      await listRow(page, 'TRUCK-1').click()
      const panel = page.getByRole('region', { name: 'TRUCK-1' })
      const position = panel.getByTestId('panel-position')
      const firstPosition = await position.textContent()
      await expect.poll(() => position.textContent()).not.toBe(firstPosition)
      await expect
        .poll(() => page.locator('canvas.vehicle-canvas').getAttribute('data-drawn'))
        .toBe('1')
      await screenshot(page, 'fleet-05-live-map-moving')
    } finally {
      await driving.stop()
    }

    // The marker under the map's centre is the vehicle: the map centres on a vehicle picked in the list.
    await page.getByRole('button', { name: 'Close panel' }).click()
    await listRow(page, 'TRUCK-1').click()
    await page.getByRole('button', { name: 'Close panel' }).click()
    const map = page.getByRole('region', { name: 'Live map' })
    const box = (await map.boundingBox())!
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await page.getByRole('region', { name: 'TRUCK-1' }).waitFor()

    await page.getByRole('link', { name: 'Open vehicle page' }).click()
    await page.getByRole('heading', { name: 'TRUCK-1', level: 1 }).waitFor()
    const summary = page.getByText(/^\d+ points/)
    await summary.waitFor()
    // The half hour of history plus what the drive posted.
    expect(Number.parseInt((await summary.textContent()) ?? '', 10)).toBeGreaterThan(30)
    for (const chart of ['Speed', 'RPM', 'Fuel', 'Coolant temperature']) {
      await page.getByRole('img', { name: new RegExp(`^${chart} chart: \\d+ readings`) }).waitFor()
    }
    await page.getByRole('button', { name: 'Play replay' }).click()
    const slider = page.getByLabel('Replay position')
    const startValue = await slider.inputValue()
    await expect.poll(() => slider.inputValue()).not.toBe(startValue)
    await page.getByRole('button', { name: 'Pause replay' }).click()
    await screenshot(page, 'fleet-06-vehicle-page')

    await openNav(page, 'API tokens')
    await page.getByRole('button', { name: 'Revoke token Trackers' }).click()
    await page.getByRole('button', { name: 'Confirm revoking Trackers' }).click()
    await page.getByRole('status').filter({ hasText: 'Token Trackers revoked.' }).waitFor()
    await page.getByRole('button', { name: 'Revoke token Trackers' }).waitFor({ state: 'detached' })
    await page.getByLabel('Show revoked tokens').check()
    await page.getByRole('row', { name: /Trackers.*Revoked/ }).waitFor()
    await screenshot(page, 'fleet-07-token-revoked')
    const late = [{ ...history.points[0]!, time: Date.now() }]
    expect(await postPoints(e2e.server.url, secret, late)).toBe(401)
    expect(pageErrors).toEqual([])
  })
})
