import { postPoints, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, signIn } from '../support/pages'

let e2e: TE2e
const GHENT = { lat: 51.05, lon: 3.72 }
/** Markup in a stored name must show as text, never become an element. */
const OIL = 'Oil <b>change</b>'

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

describe('maintenance and fuel', () => {
  it('shows an overdue schedule, clears it with a logged service, and flags a receipt without a refuel', async () => {
    const org = await provisionFleet(e2e.server.url, { orgName: 'Lys Logistics', codes: ['VAN-1'] })
    const van = org.vehicles[0]!
    // Parked with the odometer at 1,050 km and the tank steady at half: no refuel anywhere.
    const parked = { speed: 0, heading: 0, ignition: false, device_id: van.deviceId, ...GHENT }
    const now = Date.now()
    expect(
      await postPoints(e2e.server.url, org.token.secret, [
        { ...parked, time: now - 120_000, odometer: 1049, fuel: 50 },
        { ...parked, time: now - 60_000, odometer: 1050, fuel: 50 },
      ]),
    ).toBe(200)

    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)

    // Tank size on the vehicle, so fuel is in litres and receipts can be checked.
    await openNav(page, 'Vehicles')
    await page.getByRole('button', { name: 'Edit vehicle VAN-1' }).click()
    const vehicleForm = page.getByRole('form', { name: 'Edit vehicle VAN-1' })
    await vehicleForm.getByLabel('Tank size (L)').fill('80')
    await vehicleForm.getByRole('button', { name: 'Save vehicle' }).click()
    await page.getByRole('status').filter({ hasText: 'Vehicle VAN-1 saved.' }).waitFor()

    // An oil change every 500 km, counted from 0 before any service: 550 km over.
    await openNav(page, 'Maintenance')
    const readings = page.getByRole('table', { name: 'Odometer and engine hours now' })
    await readings.getByRole('row', { name: /^VAN-1 1,050\.0 km/ }).waitFor()
    const scheduleForm = page.getByRole('form', { name: 'Add a schedule' })
    await scheduleForm.getByLabel('Name').fill(OIL)
    await scheduleForm.getByLabel('Vehicle', { exact: true }).selectOption({ label: 'VAN-1' })
    await scheduleForm.getByLabel('Every (km)').fill('500')
    await scheduleForm.getByLabel('Due soon within (km)').fill('100')
    await scheduleForm.getByRole('button', { name: 'Add schedule' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Schedule ${OIL} added.` })
      .waitFor()
    const overdue = page.getByRole('table', { name: 'Overdue' })
    const overdueRow = overdue.getByRole('row', { name: /^VAN-1/ })
    await overdueRow.getByRole('cell', { name: '550 km over' }).waitFor()
    await overdueRow.getByRole('cell', { name: OIL, exact: true }).waitFor()
    expect(await page.locator('main b').count()).toBe(0)
    await screenshot(page, 'maintenance-01-overdue')

    // Log the oil change: the odometer comes from the vehicle's reading.
    const serviceForm = page.getByRole('form', { name: 'Log a service' })
    await serviceForm.getByLabel('Vehicle').selectOption({ label: 'VAN-1' })
    await expect.poll(() => serviceForm.getByLabel('Odometer (km)').inputValue()).toBe('1050')
    await serviceForm.getByLabel('Schedule').selectOption({ label: OIL })
    await serviceForm.getByLabel('Cost').fill('120.5')
    await serviceForm.getByLabel('Notes').fill('5W-30 <script>')
    await serviceForm.getByRole('button', { name: 'Log service' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Service logged for VAN-1 (${OIL}).` })
      .waitFor()
    await page.getByText('Nothing is overdue.').waitFor()
    const upcoming = page.getByRole('table', { name: 'Upcoming' })
    await upcoming
      .getByRole('row', { name: /^VAN-1/ })
      .getByRole('cell', { name: '500 km left' })
      .waitFor()
    const history = page.getByRole('table', { name: 'Service history' })
    const serviceRow = history.getByRole('row', { name: /VAN-1/ })
    await serviceRow.getByRole('cell', { name: '5W-30 <script>' }).waitFor()
    await serviceRow.getByRole('cell', { name: '1,050 km' }).waitFor()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('service-history.csv')
    await screenshot(page, 'maintenance-02-serviced')

    // A 40 L receipt while the tank level never rose: flagged.
    await openNav(page, 'Fuel')
    const purchaseForm = page.getByRole('form', { name: 'Add a fuel purchase' })
    await purchaseForm.getByLabel('Vehicle').selectOption({ label: 'VAN-1' })
    await purchaseForm.getByLabel('Litres').fill('40')
    await purchaseForm.getByLabel('Station').fill('Total <i>Gent</i>')
    await purchaseForm.getByRole('button', { name: 'Add purchase' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: 'Fuel purchase of 40 L added for VAN-1.' })
      .waitFor()
    const purchase = page
      .getByRole('table', { name: 'Fuel purchases' })
      .getByRole('row', { name: /VAN-1/ })
    await purchase.getByText('No refuel detected').waitFor()
    await purchase.getByText('Flagged').waitFor()
    await purchase.getByRole('cell', { name: 'Total <i>Gent</i>' }).waitFor()
    expect(await purchase.getAttribute('class')).toContain('purchase-flagged')
    expect(await page.locator('main i').count()).toBe(0)
    await page.getByTestId('line-chart').waitFor()
    await screenshot(page, 'maintenance-03-fuel')
    expect(pageErrors).toEqual([])
  })
})
