import { REPORT_MAX_VEHICLES } from '@fms/api/schemas'
import { createTrip, postPoints, provisionFleet, randomVin } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, signIn } from '../support/pages'

let e2e: TE2e
const ROTTERDAM = { lat: 51.92, lon: 4.48 }

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

/** `1,234.5 km`, as the reports page shows a distance. */
function formatKm(value: number): string {
  return `${value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} km`
}

describe('reports', () => {
  it('shows each vehicle’s totals for the fleet, and a vehicle’s days once it is chosen', async () => {
    const org = await provisionFleet(e2e.server.url, {
      orgName: 'Dock Haulage',
      codes: ['VAN-1', 'VAN-2'],
    })
    const van2 = org.vehicles[1]!
    const points = createTrip({
      start: ROTTERDAM,
      heading: 45,
      speedKmh: 36,
      parkedMinutes: 5,
      drivingMinutes: 20,
      stoppedMinutes: 10,
      endMinutesAgo: 15,
    }).map((point) => ({ ...point, device_id: van2.deviceId }))
    expect(await postPoints(e2e.server.url, org.token.secret, points)).toBe(200)

    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await openNav(page, 'Reports')
    const period = await page.evaluate(() => {
      const pad = (n: number) => String(n).padStart(2, '0')
      const toDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
      const now = new Date()
      return {
        from: toDate(new Date(now.getTime() - 6 * 86_400_000)),
        to: toDate(now),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      }
    })
    const report = await org.api.reports.daily.query({ ...period, vehicleId: van2.id })
    const total = report.vehicles[0]!.total!
    expect(total.distanceKm).toBeGreaterThan(11)
    expect(total.distanceKm).toBeLessThan(13)

    // No vehicle chosen: one row of totals per vehicle, no days.
    const totals = page.getByRole('table', { name: 'Vehicle totals' })
    const showVan2 = page.getByRole('button', { name: 'Show the days of VAN-2' })
    const van2Totals = totals.getByRole('row').filter({ has: showVan2 })
    await van2Totals.waitFor()
    expect(await van2Totals.getByRole('cell').first().textContent()).toBe(
      formatKm(total.distanceKm),
    )
    expect(total.tripCount).toBe(1)
    expect(await van2Totals.getByRole('cell').nth(6).textContent()).toBe('1')
    const van1Totals = totals
      .getByRole('row')
      .filter({ has: page.getByRole('button', { name: 'Show the days of VAN-1' }) })
    expect(await van1Totals.getByRole('cell').first().textContent()).toBe('0.0 km')
    expect(await totals.getByRole('row').count()).toBe(3)
    expect(await page.getByRole('table', { name: 'Daily summary' }).count()).toBe(0)
    await page.getByRole('link', { name: /^Replay trip of VAN-2 from / }).waitFor()

    // The fleet's days as charts, the same figures in the 'Fleet per day' table.
    const fleet = await org.api.reports.daily.query({ ...period, includeDays: false })
    expect(fleet.dayTotals.map((day) => day.date).at(-1)).toBe(period.to)
    const fleetKm = fleet.dayTotals.reduce((sum, day) => sum + day.distanceKm, 0)
    expect(fleetKm).toBeCloseTo(total.distanceKm, 2)
    const distanceChart = page.getByRole('img', { name: /^Distance per day \(km\), / })
    expect(await distanceChart.getAttribute('aria-label')).toContain(
      `: ${formatKm(fleetKm)} in total, most on `,
    )
    expect(await distanceChart.locator('rect.chart-bar').count()).toBe(7)
    const busiest = fleet.dayTotals.reduce((a, b) => (b.distanceKm > a.distanceKm ? b : a))
    const busiestBar = distanceChart.locator('rect.chart-bar').nth(fleet.dayTotals.indexOf(busiest))
    expect(Number(await busiestBar.getAttribute('height'))).toBeGreaterThan(0)
    const drivingChart = page.getByRole('img', { name: /^Driving time per day \(h\), / })
    expect(await drivingChart.locator('rect.chart-bar').count()).toBe(7)
    const fleetDays = page.getByRole('table', { name: 'Fleet per day' })
    expect(await fleetDays.getByRole('row').count()).toBe(1 + 7)
    for (const day of fleet.dayTotals) {
      const row = fleetDays.getByRole('row', { name: day.date })
      expect(await row.getByRole('cell').first().textContent()).toBe(formatKm(day.distanceKm))
    }
    await screenshot(page, 'reports-01-vehicle-totals')

    // Choosing the vehicle shows its days (and only its trips), and the form says so.
    await showVan2.click()
    const days = page.getByRole('table', { name: 'Daily summary' })
    await days.getByRole('row', { name: `VAN-2 ${period.to}` }).waitFor()
    expect(await days.getByRole('row').count()).toBe(1 + 7)
    for (const day of report.vehicles[0]!.days.filter((d) => d.distanceKm > 0)) {
      const row = days.getByRole('row', { name: `VAN-2 ${day.date}` })
      expect(await row.getByRole('cell').first().textContent()).toBe(formatKm(day.distanceKm))
    }
    expect(await page.getByLabel('Vehicle', { exact: true }).inputValue()).toBe(van2.id)
    expect(
      await page
        .getByRole('heading', { name: 'Daily summary', level: 2 })
        .evaluate((heading) => heading === document.activeElement),
    ).toBe(true)
    expect(await page.getByRole('table', { name: 'Vehicle totals' }).count()).toBe(0)
    await page.getByRole('link', { name: /^Replay trip of VAN-2 from / }).waitFor()
    // The charts now show the vehicle's days; its figures are in the daily summary.
    expect(await distanceChart.getAttribute('aria-label')).toContain(
      `: ${formatKm(report.vehicles[0]!.days.reduce((sum, day) => sum + day.distanceKm, 0))} in total`,
    )
    expect(await page.getByRole('table', { name: 'Fleet per day' }).count()).toBe(0)
    await screenshot(page, 'reports-02-vehicle-days')
    expect(pageErrors).toEqual([])
  })

  it('asks for a vehicle before listing trips of a fleet too big to list at once', async () => {
    const codes = Array.from({ length: REPORT_MAX_VEHICLES + 1 }, (_, i) => `T-${i + 1000}`)
    const org = await provisionFleet(e2e.server.url, {
      orgName: 'Big Fleet',
      codes: codes.slice(0, 1),
    })
    for (let i = 1; i < codes.length; i += 25) {
      await Promise.all(
        codes
          .slice(i, i + 25)
          .map((code) => org.api.vehicles.create.mutate({ code, vin: randomVin() })),
      )
    }

    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await openNav(page, 'Reports')
    const totals = page.getByRole('table', { name: 'Vehicle totals' })
    await totals.getByRole('button', { name: `Show the days of ${codes.at(-1)}` }).waitFor()
    expect(await totals.getByRole('row').count()).toBe(1 + codes.length)
    await page.getByText('Choose a vehicle to list its trips.').waitFor()
    expect(await page.getByRole('button', { name: 'Export trips CSV' }).isDisabled()).toBe(true)
    expect(await page.getByRole('alert').count()).toBe(0)

    // A vehicle past the select's loaded options can still be chosen from the totals.
    await totals.getByRole('button', { name: `Show the days of ${codes.at(-1)}` }).click()
    await page.getByRole('table', { name: 'Daily summary' }).waitFor()
    const select = page.getByLabel('Vehicle', { exact: true })
    expect(await select.locator('option:checked').textContent()).toBe(codes.at(-1))
    await page.getByText('No trips in this period.').waitFor()
    expect(await page.getByText('Choose a vehicle to list its trips.').count()).toBe(0)
    expect(pageErrors).toEqual([])
  })
})
