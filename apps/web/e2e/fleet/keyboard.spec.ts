import { postPoints, provisionFleet } from '@fms/testkit'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { signIn, waitForLive } from '../support/pages'

let e2e: TE2e

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

function rows(page: Page) {
  return page.getByRole('list', { name: 'Vehicles' }).getByRole('button')
}

async function readFocusedText(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.textContent ?? '')
}

describe('live map list', () => {
  it('searches, filters by status and is usable with the keyboard alone', async () => {
    const org = await provisionFleet(e2e.server.url, {
      orgName: 'Keyboard Couriers',
      codes: ['CAR-1', 'CAR-2', 'CAR-3'],
    })
    const now = Date.now()
    const [car1, car2] = org.vehicles
    const status = await postPoints(e2e.server.url, org.token.secret, [
      { device_id: car1!.deviceId, time: now, lat: 51.5, lon: -0.12, speed: 30, heading: 90 },
      { device_id: car2!.deviceId, time: now, lat: 51.51, lon: -0.1, speed: 0, heading: 0 },
    ])
    expect(status).toBe(200)
    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await waitForLive(page)
    await page.getByText('3 vehicles').waitFor()

    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Idle' })
    await page.getByText('Showing 1 of 3').waitFor()
    expect(await rows(page).allTextContents()).toEqual([expect.stringMatching(/^CAR-2.*Idle/)])
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'All statuses' })
    await page.getByLabel('Search vehicles').fill('car-3')
    await page.getByText('Showing 1 of 3').waitFor()
    expect(await rows(page).allTextContents()).toEqual([expect.stringMatching(/^CAR-3.*Offline/)])
    await page.getByLabel('Search vehicles').fill('')
    await page.getByText('Showing 3 of 3').waitFor()

    await rows(page).first().focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await readFocusedText(page)).toMatch(/^CAR-3/)
    await page.keyboard.press('ArrowUp')
    expect(await readFocusedText(page)).toMatch(/^CAR-2/)
    await page.keyboard.press('Enter')
    const panel = page.getByRole('region', { name: 'CAR-2' })
    await panel.waitFor()
    expect(await panel.getByText('Idle').count()).toBe(1)
    await screenshot(page, 'keyboard-01-panel-from-list')
    await page.keyboard.press('Escape')
    await panel.waitFor({ state: 'detached' })
    expect(pageErrors).toEqual([])
  })
})
