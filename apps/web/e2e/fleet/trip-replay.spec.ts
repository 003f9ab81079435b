import { createTrip, postPoints, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, signIn } from '../support/pages'

let e2e: TE2e
const HAMBURG = { lat: 53.55, lon: 9.99 }
const TRIP_MARGIN_MS = 60_000

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

describe('trip replay', () => {
  it('opens a trip from the reports on the vehicle page with its range, track and replay', async () => {
    const org = await provisionFleet(e2e.server.url, {
      orgName: 'Harbour Couriers',
      codes: ['VAN-7'],
    })
    const points = createTrip({
      start: HAMBURG,
      heading: 90,
      speedKmh: 36,
      parkedMinutes: 10,
      drivingMinutes: 20,
      stoppedMinutes: 10,
      endMinutesAgo: 20,
    })
    expect(await postPoints(e2e.server.url, org.token.secret, points)).toBe(200)
    const { trips } = await org.api.reports.trips.query({
      vehicleId: org.vehicle.id,
      from: new Date(points[0]!.time),
      to: new Date(),
    })
    expect(trips).toHaveLength(1)
    const trip = trips[0]!
    expect(trip.isComplete).toBe(true)
    const from = trip.start - TRIP_MARGIN_MS
    const to = trip.end + TRIP_MARGIN_MS
    const pointsInTrip = points.filter((p) => p.time >= from && p.time < to).length
    expect(pointsInTrip).toBeGreaterThan(0)
    expect(pointsInTrip).toBeLessThan(points.length)

    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await openNav(page, 'Reports')
    const replayLink = page.getByRole('link', { name: /^Replay trip of VAN-7 from / })
    await replayLink.waitFor()
    expect(await replayLink.getAttribute('href')).toBe(
      `#/vehicles/${org.vehicle.id}?from=${from}&to=${to}`,
    )
    await screenshot(page, 'trip-replay-01-reports')

    await replayLink.click()
    await page.getByRole('heading', { name: 'VAN-7', level: 1 }).waitFor()
    expect(new URL(page.url()).hash).toBe(`#/vehicles/${org.vehicle.id}?from=${from}&to=${to}`)
    const range = page.getByLabel('Time range')
    expect(await range.inputValue()).toBe('custom')
    expect(await range.locator('option:checked').textContent()).toMatch(/^Custom: /)
    await page.getByText(`${pointsInTrip} points`, { exact: true }).waitFor()

    // The replay is ready on the trip: paused at its first positioned point, and it plays.
    const play = page.getByRole('button', { name: 'Play replay' })
    expect(await play.isEnabled()).toBe(true)
    const slider = page.getByLabel('Replay position')
    const firstInTrip = points.find((p) => p.time >= from)!
    expect(Number(await slider.getAttribute('min'))).toBe(firstInTrip.time)
    expect(Number(await slider.inputValue())).toBe(firstInTrip.time)
    await screenshot(page, 'trip-replay-02-vehicle-page')
    await play.click()
    await expect
      .poll(async () => Number(await slider.inputValue()))
      .toBeGreaterThan(firstInTrip.time)
    await page.getByRole('button', { name: 'Pause replay' }).click()

    // The presets stay on offer, and so does the trip's range.
    await range.selectOption('24h')
    await page.getByText(`${points.length} points`, { exact: true }).waitFor()
    await range.selectOption('custom')
    await page.getByText(`${pointsInTrip} points`, { exact: true }).waitFor()

    // A hostile or nonsensical range is ignored: the page falls back to the last 24 hours.
    await page.goto(
      new URL(`/#/vehicles/${org.vehicle.id}?from=${to}&to=${from}`, e2e.server.url).href,
    )
    await page.getByRole('heading', { name: 'VAN-7', level: 1 }).waitFor()
    await page.getByText(`${points.length} points`, { exact: true }).waitFor()
    expect(await range.inputValue()).toBe('24h')
    expect(await range.locator('option[value="custom"]').count()).toBe(0)
    expect(pageErrors).toEqual([])
  })
})
