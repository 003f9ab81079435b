import { createTrip, moveAlong, postPoints, provisionFleet } from '@fms/testkit'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, signIn, waitForLive } from '../support/pages'

let e2e: TE2e
const GHENT = { lat: 51.05, lon: 3.72 }

beforeAll(async () => {
  // A new rule applies to the next points at once (no rule cache).
  e2e = await startE2e({ ALERTS_RULE_CACHE_SEC: '0' })
})

afterAll(() => stopE2e(e2e))

/**
 * A whole-hour zone where it is about noon now (`Etc/GMT-3` is UTC+3: the signs are inverted),
 * so the last hour's points fall on "today" in the browser whenever the test runs.
 */
function findNoonZone(now = new Date()): string {
  const offset = 12 - now.getUTCHours()
  if (offset === 0) return 'UTC'
  return `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`
}

/** `12.3 km`, as the overview shows a distance. */
function formatKm(value: number): string {
  return `${value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} km`
}

/** Ten seconds at 95 km/h, then a point at 50 km/h now: an overspeed episode, still moving. */
function createSpeeding(deviceId: string) {
  const start = Date.now() - 12_000
  const points = []
  let position = GHENT
  for (let i = 0; i <= 10; i++) {
    points.push({ device_id: deviceId, time: start + i * 1000, ...position, speed: 95 })
    position = moveAlong(position.lat, position.lon, 90, 95 / 3600)
  }
  points.push({ device_id: deviceId, time: start + 12_000, ...position, speed: 50 })
  return points
}

/** The figure of a tile of the overview, by its label (`Moving`, `Distance`, …). */
function readStat(page: Page, label: string): Promise<string | null> {
  return page
    .locator('.stat-tile')
    .filter({ has: page.getByRole('term').filter({ hasText: new RegExp(`^\\s*${label}$`) }) })
    .getByRole('definition')
    .first()
    .textContent()
}

describe('fleet overview', () => {
  it('counts the vehicles moving, idle and offline live, and sums the day so far', async () => {
    const org = await provisionFleet(e2e.server.url, {
      orgName: 'Scheldt Logistics',
      codes: ['TRUCK-1', 'TRUCK-2', 'TRUCK-3', 'TRUCK-4'],
    })
    const [driven, speeding, standing] = org.vehicles
    await org.api.rules.create.mutate({ kind: 'overspeed', threshold: 80, durationSec: 0 })
    // TRUCK-1: a 12 km trip that ended a quarter of an hour ago (offline now).
    const trip = createTrip({
      start: GHENT,
      heading: 0,
      speedKmh: 36,
      parkedMinutes: 5,
      drivingMinutes: 20,
      stoppedMinutes: 10,
      endMinutesAgo: 15,
    }).map((point) => ({ ...point, device_id: driven!.deviceId }))
    expect(await postPoints(e2e.server.url, org.token.secret, trip)).toBe(200)
    // TRUCK-2 speeds and is moving now; TRUCK-3 stands with its engine on; TRUCK-4 never reported.
    const speedingPoints = createSpeeding(speeding!.deviceId)
    expect(await postPoints(e2e.server.url, org.token.secret, speedingPoints)).toBe(200)
    const standingPoint = { device_id: standing!.deviceId, time: Date.now(), ...GHENT, speed: 0 }
    expect(await postPoints(e2e.server.url, org.token.secret, [standingPoint])).toBe(200)

    const timezoneId = findNoonZone()
    const { page, pageErrors } = await openApp(e2e, '/', { timezoneId })
    await signIn(page, org.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await waitForLive(page)
    await openNav(page, 'Overview')
    expect(await page.title()).toContain('Overview')

    // Right now: the live map's statuses.
    await expect.poll(() => readStat(page, 'Moving')).toBe('1')
    expect(await readStat(page, 'Idle')).toBe('1')
    expect(await readStat(page, 'Offline')).toBe('2')
    expect(await readStat(page, 'Vehicles')).toBe('4')
    await page
      .getByRole('img', { name: 'Fleet status: 1 moving, 1 idle, 2 offline of 4 vehicles' })
      .waitFor()

    // Today, in the browser's time zone: the same figures the API gives for that day.
    const today = await page.evaluate(() => {
      const pad = (n: number) => String(n).padStart(2, '0')
      const now = new Date()
      return {
        day: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      }
    })
    expect(today.timeZone).toBe(timezoneId)
    // The rules engine stores the alert just after the points commit.
    await expect.poll(async () => (await org.api.fleet.overview.query(today)).alertCount).toBe(1)
    const overview = await org.api.fleet.overview.query(today)
    expect(overview.alertCounts.overspeed).toBe(1)
    expect(overview.reportingVehicleCount).toBe(3)
    const [farthest] = overview.topVehicles
    expect(farthest?.vehicleCode).toBe('TRUCK-1')
    expect(farthest!.distanceKm).toBeGreaterThan(11)
    expect(farthest!.distanceKm).toBeLessThan(13)
    expect(overview.topVehicles.map((v) => v.vehicleCode)).toEqual(['TRUCK-1', 'TRUCK-2'])

    await expect.poll(() => readStat(page, 'Alerts')).toBe('1')
    expect(await page.getByText('1 Overspeed', { exact: true }).count()).toBe(1)
    expect(await readStat(page, 'Distance')).toBe(formatKm(overview.distanceKm))
    expect(await readStat(page, 'Trips')).toBe(String(overview.tripCount))
    expect(await readStat(page, 'Vehicles reporting')).toBe('3 of 4')
    const farthestTable = page.getByRole('table', { name: 'Farthest today' })
    const rows = farthestTable.getByRole('row')
    expect(await rows.count()).toBe(1 + 2)
    const first = rows.nth(1)
    expect(await first.getByRole('rowheader').textContent()).toBe('TRUCK-1')
    expect(await first.getByRole('cell').first().textContent()).toBe(formatKm(farthest!.distanceKm))
    await screenshot(page, 'overview-01-fleet')

    // The counts follow the live stream: TRUCK-3 drives off.
    const drivingOff = { ...standingPoint, time: Date.now(), speed: 40 }
    expect(await postPoints(e2e.server.url, org.token.secret, [drivingOff])).toBe(200)
    await expect.poll(() => readStat(page, 'Moving')).toBe('2')
    expect(await readStat(page, 'Idle')).toBe('0')
    expect(await readStat(page, 'Offline')).toBe('2')

    // A vehicle in the list opens its page.
    await page.getByRole('link', { name: 'TRUCK-1', exact: true }).click()
    await page.getByRole('heading', { name: 'TRUCK-1', level: 1 }).waitFor()
    expect(pageErrors).toEqual([])
  })
})
