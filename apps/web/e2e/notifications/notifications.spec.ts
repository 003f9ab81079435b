import { moveAlong, postPoints, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { signIn, waitForLive } from '../support/pages'

let e2e: TE2e
const BERLIN = { lat: 52.52, lon: 13.405 }
const EMAIL_OFF_NOTE =
  'Email is off on this server (no SMTP configured); notifications are shown in the app only'

beforeAll(async () => {
  // Without SMTP_URL (as here) the server sends no email. New rules apply at once.
  e2e = await startE2e({ ALERTS_RULE_CACHE_SEC: '0' })
})

afterAll(() => stopE2e(e2e))

/** Ten seconds at `speedKmh` ending a few seconds ago, then one point at 50 km/h (the end). */
function createSpeeding(deviceId: string, speedKmh: number) {
  const start = Date.now() - 15_000
  const points = []
  let position = BERLIN
  for (let i = 0; i <= 10; i++) {
    points.push({
      device_id: deviceId,
      time: start + i * 1000,
      ...position,
      speed: speedKmh,
      heading: 90,
      ignition: true,
    })
    position = moveAlong(position.lat, position.lon, 90, speedKmh / 3600)
  }
  points.push({
    device_id: deviceId,
    time: start + 12_000,
    ...position,
    speed: 50,
    heading: 90,
    ignition: true,
  })
  return points
}

describe('notifications', () => {
  it('subscribes in the app, counts a new alert on the bell live, opens it highlighted on the alerts page', async () => {
    const org = await provisionFleet(e2e.server.url, {
      orgName: 'Bell Freight',
      codes: ['TRUCK-7', 'VAN-2'],
    })
    await org.api.rules.create.mutate({ kind: 'overspeed', threshold: 80, durationSec: 0 })
    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await waitForLive(page)

    const bell = page.getByRole('button', { name: /^Notifications/ })
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, none unread')
    await bell.click()
    const panel = page.getByRole('region', { name: 'Latest notifications' })
    await panel.getByText('Nothing yet.', { exact: false }).waitFor()
    await page.keyboard.press('Escape')
    await panel.waitFor({ state: 'detached' })
    expect(await bell.evaluate((element) => element === document.activeElement)).toBe(true)
    await bell.click()
    await panel.getByRole('link', { name: /All notifications/ }).click()
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor()
    await panel.waitFor({ state: 'detached' })

    // Email is off on this server: the email box can't be ticked, and a note by it says why.
    await page.getByTestId('email-off-note').filter({ hasText: EMAIL_OFF_NOTE }).waitFor()
    const form = page.getByRole('form', { name: 'Add a subscription' })
    expect(await form.getByLabel('Email', { exact: true }).isDisabled()).toBe(true)
    expect(await form.getByLabel('In app', { exact: true }).isChecked()).toBe(true)
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)
    expect(await form.getByLabel('Time zone', { exact: true }).inputValue()).toBe(zone)

    await form.getByLabel('Overspeed', { exact: true }).check()
    await form.getByLabel('Chosen vehicles', { exact: true }).check()
    await form.getByLabel('VAN-2', { exact: true }).waitFor()
    await form.getByRole('button', { name: 'Add subscription' }).click()
    await form.getByText('Choose at least one vehicle, or all vehicles').waitFor()
    await form.getByLabel('TRUCK-7', { exact: true }).check()
    await form.getByLabel('Quiet from', { exact: true }).fill('22:00')
    await form.getByRole('button', { name: 'Add subscription' }).click()
    await form.getByText('Use HH:MM, 00:00 to 23:59').waitFor()
    await form.getByLabel('Quiet until', { exact: true }).fill('06:30')
    await form.getByLabel('Email digest (minutes, optional)', { exact: true }).fill('2')
    await form.getByRole('button', { name: 'Add subscription' }).click()
    await form.getByText('At least 5 minutes').waitFor()
    await form.getByLabel('Email digest (minutes, optional)', { exact: true }).fill('30')
    await form.getByRole('button', { name: 'Add subscription' }).click()
    await page.getByRole('status').filter({ hasText: 'Subscription added.' }).waitFor()
    const row = page.getByRole('row', { name: /^Overspeed TRUCK-7/ })
    await row.waitFor()
    expect(await row.textContent()).toContain(`22:00–06:30 next day (${zone})`)
    expect(await row.textContent()).toContain('At most one email per 30 min')
    await screenshot(page, 'notifications-01-subscription')

    // Overspeed alerts of both: the bell counts the truck's (subscribed) live, without a reload.
    const [truck, van] = org.vehicles
    for (const vehicle of [van!, truck!]) {
      const speeding = createSpeeding(vehicle.deviceId, 95)
      expect(await postPoints(e2e.server.url, org.token.secret, speeding)).toBe(200)
    }
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, 1 unread')
    expect(await page.getByTestId('unread-badge').textContent()).toBe('1')
    const listed = page.getByRole('row', { name: /Overspeed/ }).filter({ hasText: 'Unread' })
    await listed.waitFor()

    // By keyboard: the bell opens the panel, Tab reaches "Mark all read", then the notification.
    await bell.focus()
    await page.keyboard.press('Enter')
    const item = panel.getByRole('link', { name: /Overspeed · TRUCK-7/ })
    await item.waitFor()
    expect(await item.textContent()).toContain('(unread)')
    expect(await panel.getByRole('link', { name: /VAN-2/ }).count()).toBe(0)
    await screenshot(page, 'notifications-02-panel')
    await page.keyboard.press('Tab')
    const isFocused = (locator: typeof item) =>
      locator.evaluate((element) => element === document.activeElement)
    expect(await isFocused(panel.getByRole('button', { name: 'Mark all read' }))).toBe(true)
    await page.keyboard.press('Tab')
    expect(await isFocused(item)).toBe(true)
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor()
    expect(page.url()).toMatch(/#\/alerts\?alert=[0-9a-f-]{36}$/)
    const target = page.locator('tr[aria-current="true"]')
    await target.waitFor()
    expect(await target.textContent()).toContain('TRUCK-7')
    expect(await target.textContent()).toContain('Overspeed')
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, none unread')
    await page.getByTestId('unread-badge').waitFor({ state: 'detached' })
    await screenshot(page, 'notifications-03-alert-highlighted')

    // Edit the subscription (its form shows what it holds), then remove it.
    await bell.click()
    await panel.getByRole('link', { name: /All notifications/ }).click()
    await page.getByRole('button', { name: 'Edit subscription Overspeed for TRUCK-7' }).click()
    const edit = page.getByRole('form', { name: 'Edit subscription' })
    expect(await edit.getByLabel('Overspeed', { exact: true }).isChecked()).toBe(true)
    expect(await edit.getByLabel('TRUCK-7', { exact: true }).isChecked()).toBe(true)
    expect(await edit.getByLabel('Quiet until', { exact: true }).inputValue()).toBe('06:30')
    await edit.getByLabel('All vehicles', { exact: true }).check()
    await edit.getByRole('button', { name: 'Save subscription' }).click()
    await page.getByRole('status').filter({ hasText: 'Subscription saved.' }).waitFor()
    await page.getByRole('row', { name: /^Overspeed All vehicles/ }).waitFor()
    await page
      .getByRole('button', { name: 'Remove subscription Overspeed for All vehicles' })
      .click()
    await page.getByRole('button', { name: 'Confirm removing Overspeed for All vehicles' }).click()
    await page.getByText('No subscriptions yet', { exact: false }).waitFor()
    // The notification stays, read.
    await page
      .getByRole('row', { name: /Overspeed/ })
      .filter({ hasText: 'Read' })
      .first()
      .waitFor()

    // A link to an alert that isn't there says so.
    await page.evaluate(() => {
      window.location.hash = '#/alerts?alert=00000000-0000-4000-8000-000000000000'
    })
    await page.getByTestId('target-alert-missing').waitFor()
    expect(await page.locator('tr[aria-current="true"]').count()).toBe(0)
    expect(pageErrors).toEqual([])
  })
})
