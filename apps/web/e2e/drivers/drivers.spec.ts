import { createTrip, postPoints, provisionFleet, TEST_PASSWORD, uniqueEmail } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, readDescribedError, signIn, signOut } from '../support/pages'

let e2e: TE2e
const GHENT = { lat: 51.05, lon: 3.72 }
const DAY_MS = 86_400_000
/** Markup in a stored name must show as text, never become an element. */
const ANNA = 'Anna <i>Lind</i>'

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

/** YYYY-MM-DD `days` from now (UTC: far enough from any boundary for these checks). */
function dateIn(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10)
}

describe('drivers', () => {
  it('lets an admin add, edit, assign and remove drivers, and shows the driver on the live map', async () => {
    const org = await provisionFleet(e2e.server.url, {
      orgName: 'Scheldt Freight',
      codes: ['TRUCK-1', 'TRUCK-2'],
    })
    await org.api.drivers.create.mutate({ name: 'Bob Peeters', identifier: 'RFID-B' })
    const truck = org.vehicles[0]!
    const parked = { speed: 0, heading: 0, ignition: false, device_id: truck.deviceId, ...GHENT }
    expect(
      await postPoints(e2e.server.url, org.token.secret, [{ ...parked, time: Date.now() - 5000 }]),
    ).toBe(200)

    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await openNav(page, 'Drivers')
    const form = page.getByRole('form', { name: 'Add a driver' })
    await form.getByLabel('Name', { exact: true }).fill(ANNA)
    await form.getByLabel('Employee number').fill('E-100')
    await form.getByLabel('Phone').fill('+32 9 123 45 67')
    await form.getByLabel('Licence expiry').fill(dateIn(-3))
    await form.getByLabel('Identifier (RFID, iButton)').fill('RFID-A')
    await form.getByRole('button', { name: 'Add driver' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Driver ${ANNA} added.` })
      .waitFor()
    const annaRow = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: ANNA }) })
    await annaRow.getByText('Expired').waitFor()
    expect(await page.locator('main i').count()).toBe(0)

    // Another driver's identifier: the server's conflict shows on the field.
    await page.getByRole('button', { name: `Edit driver ${ANNA}` }).click()
    const edit = page.getByRole('form', { name: `Edit driver ${ANNA}` })
    await edit.getByLabel('Identifier (RFID, iButton)').fill('RFID-B')
    await edit.getByRole('button', { name: 'Save driver' }).click()
    await expect
      .poll(() => readDescribedError(page, 'Identifier (RFID, iButton)'))
      .toBe('Another driver already has this identifier')
    await screenshot(page, 'drivers-01-duplicate-identifier')
    await edit.getByLabel('Identifier (RFID, iButton)').fill('RFID-A2')
    await edit.getByLabel('Licence expiry').fill(dateIn(10))
    await edit.getByRole('button', { name: 'Save driver' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Driver ${ANNA} saved.` })
      .waitFor()
    await annaRow.getByText('Expires within 30 days').waitFor()
    expect(await annaRow.getByRole('cell').nth(1).textContent()).toBe('RFID-A2')

    // Assign to TRUCK-1 from now.
    await page.getByRole('button', { name: `Show assignments of ${ANNA}` }).click()
    const assign = page.getByRole('form', { name: `Assign ${ANNA} to a vehicle` })
    await assign.getByLabel('Vehicle').selectOption({ label: 'TRUCK-1' })
    await assign.getByRole('button', { name: 'Assign' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `${ANNA} assigned to TRUCK-1.` })
      .waitFor()
    await page.getByText('Drives TRUCK-1 now.').waitFor()
    const history = page.getByRole('table', { name: `Assignments of ${ANNA}` })
    await history.getByRole('row', { name: /^TRUCK-1 .* Now$/ }).waitFor()
    await annaRow.getByRole('cell', { name: 'TRUCK-1', exact: true }).waitFor()
    await screenshot(page, 'drivers-02-assigned')

    // The live map's list and panel name the driver.
    await openNav(page, 'Live map')
    const row = page
      .getByRole('list', { name: 'Vehicles' })
      .getByRole('button', { name: /^TRUCK-1\b/ })
    await row.getByText(`· ${ANNA}`).waitFor()
    await row.click()
    await expect.poll(() => page.getByTestId('panel-driver').textContent()).toBe(ANNA)
    // Nobody drives TRUCK-2: its row names no driver.
    const other = page
      .getByRole('list', { name: 'Vehicles' })
      .getByRole('button', { name: /^TRUCK-2\b/ })
    expect(await other.textContent()).not.toContain('·')
    await screenshot(page, 'drivers-03-live-map-panel')

    // Unassign, then remove Bob (asked twice).
    await openNav(page, 'Drivers')
    await page.getByRole('button', { name: `Show assignments of ${ANNA}` }).click()
    await page.getByRole('button', { name: `Unassign ${ANNA}` }).click()
    await page.getByText('Drives no vehicle now.').waitFor()
    await page.getByRole('button', { name: 'Remove driver Bob Peeters' }).click()
    await page.getByRole('button', { name: 'Confirm removing Bob Peeters' }).click()
    await page.getByRole('status').filter({ hasText: 'Driver Bob Peeters removed.' }).waitFor()
    await page.getByRole('rowheader', { name: 'Bob Peeters' }).waitFor({ state: 'detached' })
    expect(pageErrors).toEqual([])
  })

  it('shows a user the drivers and the report without any edit control', async () => {
    const org = await provisionFleet(e2e.server.url, { orgName: 'Read Only Haulage' })
    const driver = await org.api.drivers.create.mutate({ name: 'Dirk Claes' })
    await org.api.drivers.assign.mutate({ driverId: driver.id, vehicleId: org.vehicle.id })
    const member = { email: uniqueEmail('member'), password: TEST_PASSWORD }
    await org.api.users.create.mutate({ ...member, role: 'user' })

    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, member.email)
    await openNav(page, 'Drivers')
    await page.getByRole('rowheader', { name: 'Dirk Claes' }).waitFor()
    await page.getByRole('button', { name: 'Show assignments of Dirk Claes' }).click()
    await page.getByText('Drives V-1 now.').waitFor()
    expect(await page.getByRole('form').count()).toBe(0)
    expect(await page.getByRole('button', { name: /Edit|Remove|Unassign|Assign$/ }).count()).toBe(0)
    await page.getByRole('link', { name: 'Driver report' }).click()
    await page.getByRole('heading', { name: 'Score weights' }).waitFor()
    expect(await page.getByRole('button', { name: 'Save weights' }).count()).toBe(0)
    await screenshot(page, 'drivers-04-user-read-only')
    await signOut(page)
    expect(pageErrors).toEqual([])
  })

  it('reports a driver identified by its card with a score, its breakdown and its weeks', async () => {
    const org = await provisionFleet(e2e.server.url, {
      orgName: 'Lys Logistics',
      codes: ['VAN-1', 'VAN-2'],
    })
    await org.api.drivers.create.mutate({ name: 'Carla Maes', identifier: 'CARD-C' })
    const trip = createTrip({
      start: GHENT,
      heading: 90,
      speedKmh: 36,
      parkedMinutes: 3,
      drivingMinutes: 20,
      stoppedMinutes: 10,
      endMinutesAgo: 15,
    })
    const [van1, van2] = org.vehicles as [(typeof org.vehicles)[0], (typeof org.vehicles)[0]]
    const points = [
      ...trip.map((p) => ({ ...p, device_id: van1.deviceId, driver_id: 'CARD-C' })),
      ...trip.map((p) => ({ ...p, device_id: van2.deviceId, driver_id: 'CARD-<b>X</b>' })),
    ]
    expect(await postPoints(e2e.server.url, org.token.secret, points)).toBe(200)

    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    const timeZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)
    const range = { from: new Date(Date.now() - 2 * DAY_MS), to: new Date(Date.now() + DAY_MS) }
    // The rules worker assigns the stints from the cards, a moment after the points commit.
    await expect
      .poll(async () => {
        const report = await org.api.reports.drivers.query({ ...range, timeZone })
        return report.drivers.map((d) => [d.driverName, d.identifier, d.score !== null])
      })
      .toEqual([
        ['Carla Maes', 'CARD-C', true],
        [null, 'CARD-<b>X</b>', true],
      ])
    const report = await org.api.reports.drivers.query({ ...range, timeZone })
    const carla = report.drivers[0]!
    const score = String(Math.round(carla.score!))

    await openNav(page, 'Drivers')
    await page.getByRole('link', { name: 'Driver report' }).click()
    const table = page.getByRole('table', { name: 'Drivers' })
    const why = page.getByRole('button', { name: `Why Carla Maes scored ${score}` })
    await why.waitFor()
    const carlaRow = table.getByRole('row').filter({ has: why })
    expect(await carlaRow.getByRole('cell').allTextContents()).toEqual([
      `${carla.distanceKm.toFixed(1)} km`,
      expect.stringMatching(/^(\d+ h )?\d+ min$/),
      '1',
      '0',
      score,
    ])
    await table
      .getByRole('button', { name: /^Why Unknown \(CARD-<b>X<\/b>\) scored \d+$/ })
      .waitFor()
    expect(await page.locator('main b').count()).toBe(0)

    await why.click()
    expect(await why.getAttribute('aria-expanded')).toBe('true')
    const breakdown = page.getByRole('table', { name: 'Score breakdown of Carla Maes' })
    expect(await breakdown.getByRole('row').count()).toBe(1 + 6)
    const idling = carla.breakdown.find((line) => line.component === 'idling')!
    expect(idling.penalty).toBeGreaterThan(0)
    const idlingRow = breakdown.getByRole('row', { name: /^Idling / })
    expect(await idlingRow.getByRole('cell').first().textContent()).toMatch(/% of engine-on time$/)
    expect(await idlingRow.getByRole('cell').last().textContent()).toMatch(/^−\d/)
    await page.getByRole('img', { name: /^Score per week of Carla Maes, / }).waitFor()
    const weeks = page.getByRole('table', { name: 'Weeks of Carla Maes' })
    const driven = carla.weeks.find((week) => week.distanceKm > 0)!
    const drivenRow = weeks.getByRole('row', { name: new RegExp(`^${driven.week} `) })
    expect(await drivenRow.getByRole('cell').allTextContents()).toEqual([
      `${driven.distanceKm.toFixed(1)} km`,
      expect.stringMatching(/^(\d+ h )?\d+ min$/),
      String(Math.round(driven.score!)),
    ])
    await screenshot(page, 'drivers-05-report-breakdown')

    // Idling weighs nothing: it costs no points, and the score rises.
    const weights = page.getByRole('form', { name: 'Score weights' })
    await weights.getByLabel(/^Idling \(points per % of engine-on time\)$/).fill('0')
    await weights.getByRole('button', { name: 'Save weights' }).click()
    await page.getByRole('status').filter({ hasText: 'Score weights saved.' }).waitFor()
    await expect.poll(() => idlingRow.getByRole('cell').last().textContent()).toBe('0')
    expect(pageErrors).toEqual([])
  })
})
