import { moveAlong, postPoints, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, signIn, waitForLive } from '../support/pages'

let e2e: TE2e
const BERLIN = { lat: 52.52, lon: 13.405 }

beforeAll(async () => {
  // New rules apply to the next points at once (no rule cache).
  e2e = await startE2e({ ALERTS_RULE_CACHE_SEC: '0' })
})

afterAll(() => stopE2e(e2e))

/** Ten seconds at `speedKmh` ending a few seconds ago, then one point at 50 km/h (the end). */
function createSpeeding(speedKmh: number) {
  const start = Date.now() - 15_000
  const points = []
  let position = BERLIN
  for (let i = 0; i <= 10; i++) {
    points.push({
      time: start + i * 1000,
      ...position,
      speed: speedKmh,
      heading: 90,
      ignition: true,
    })
    position = moveAlong(position.lat, position.lon, 90, speedKmh / 3600)
  }
  points.push({ time: start + 12_000, ...position, speed: 50, heading: 90, ignition: true })
  return points
}

describe('alerts', () => {
  it('adds a geofence and an overspeed rule, sees the alert live, acknowledges it, reports the day', async () => {
    const org = await provisionFleet(e2e.server.url, {
      orgName: 'Alert Freight',
      codes: ['TRUCK-9'],
    })
    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await waitForLive(page)

    await openNav(page, 'Geofences')
    const map = page.getByRole('region', { name: 'Geofence map' })
    const box = (await map.boundingBox())!
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    expect(await page.getByLabel('Latitude', { exact: true }).inputValue()).not.toBe('')
    await page.getByLabel('Name', { exact: true }).fill('Depot')
    await page.getByLabel('Latitude', { exact: true }).fill(String(BERLIN.lat))
    await page.getByLabel('Longitude', { exact: true }).fill(String(BERLIN.lon))
    await page.getByLabel('Radius (m)', { exact: true }).fill('5')
    await page.getByRole('button', { name: 'Add geofence' }).click()
    await page.getByText('At least 10 m').waitFor()
    await page.getByLabel('Radius (m)', { exact: true }).fill('800')
    await page.getByRole('button', { name: 'Add geofence' }).click()
    await page.getByRole('status').filter({ hasText: 'Geofence Depot added.' }).waitFor()
    await page.getByRole('rowheader', { name: 'Depot' }).waitFor()
    await screenshot(page, 'alerts-01-geofence')

    await openNav(page, 'Rules')
    await page.getByLabel('Kind', { exact: true }).selectOption({ label: 'Overspeed' })
    await page.getByLabel('Threshold', { exact: true }).fill('80')
    await page.getByLabel('Duration (seconds)', { exact: true }).fill('0')
    await page.getByRole('button', { name: 'Add rule' }).click()
    await page.getByRole('status').filter({ hasText: 'Rule Overspeed added.' }).waitFor()
    await page.getByRole('button', { name: 'Disable rule Overspeed' }).waitFor()
    await screenshot(page, 'alerts-02-rule')

    await openNav(page, 'Alerts')
    await page.getByText('No alerts.').waitFor()
    expect(await postPoints(e2e.server.url, org.token.secret, createSpeeding(95))).toBe(200)
    const acknowledge = page.getByRole('button', { name: 'Acknowledge Overspeed alert of TRUCK-9' })
    await acknowledge.waitFor({ timeout: 10_000 })
    await expect
      .poll(() => page.getByTestId('unacknowledged-count').textContent())
      .toContain('1 unacknowledged')
    await screenshot(page, 'alerts-03-live-alert')
    await acknowledge.click()
    await page.getByRole('status').filter({ hasText: 'Alert acknowledged.' }).waitFor()
    await acknowledge.waitFor({ state: 'detached' })
    await page.getByTestId('unacknowledged-count').waitFor({ state: 'detached' })
    await page.getByLabel('Unacknowledged only').check()
    await page.getByText('No alerts.').waitFor()

    await openNav(page, 'Reports')
    const today = await page.evaluate(() => {
      const now = new Date()
      const pad = (n: number) => String(n).padStart(2, '0')
      return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
    })
    // All vehicles: the truck's totals, with its top speed and the alert.
    const showTruck = page.getByRole('button', { name: 'Show the days of TRUCK-9' })
    const totals = page.getByRole('row').filter({ has: showTruck })
    await totals.waitFor()
    await expect.poll(() => totals.getByRole('cell').nth(3).textContent()).toBe('95 km/h')
    expect(await totals.getByRole('cell').nth(7).textContent()).toBe('1')
    // The truck chosen: its day.
    await showTruck.click()
    const row = page.getByRole('row', { name: new RegExp(`^TRUCK-9 ${today}`) })
    await row.waitFor()
    await expect.poll(() => row.getByRole('cell').nth(3).textContent()).toBe('95 km/h')
    expect(await row.getByRole('cell').nth(7).textContent()).toBe('1')
    await screenshot(page, 'alerts-04-reports')
    expect(pageErrors).toEqual([])
  })
})
