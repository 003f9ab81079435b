import { readFile } from 'node:fs/promises'
import { createTrip, postPoints, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, signIn } from '../support/pages'

let e2e: TE2e

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

describe('daily CSV export', () => {
  it('downloads the streamed CSV of the fleet’s days, a formula-like code neutralized', async () => {
    // A leading dash is the one formula start a vehicle code may have.
    const org = await provisionFleet(e2e.server.url, { orgName: 'Csv Haulage', codes: ['-VAN.1'] })
    const van = org.vehicles[0]!
    const points = createTrip({
      start: { lat: 51.92, lon: 4.48 },
      heading: 45,
      speedKmh: 36,
      parkedMinutes: 5,
      drivingMinutes: 20,
      stoppedMinutes: 10,
      endMinutesAgo: 15,
    }).map((point) => ({ ...point, device_id: van.deviceId }))
    expect(await postPoints(e2e.server.url, org.token.secret, points)).toBe(200)

    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await openNav(page, 'Reports')
    await page.getByRole('table', { name: 'Vehicle totals' }).waitFor()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export daily CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(
      /^fms-daily-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/,
    )
    const csv = await readFile((await download.path())!, 'utf8')
    const lines = csv.trimEnd().split('\r\n')
    expect(lines[0]).toMatch(/^vehicle_code,vehicle_id,date,distance_km,/)
    // The page's default period: the last seven days, today included.
    expect(lines).toHaveLength(1 + 7)
    expect(lines.slice(1).every((line) => line.startsWith(`'-VAN.1,${van.id},`))).toBe(true)
    const distance = lines.slice(1).reduce((sum, line) => sum + Number(line.split(',')[3]), 0)
    expect(distance).toBeGreaterThan(11)
    expect(distance).toBeLessThan(13)
    expect(await page.getByRole('alert').count()).toBe(0)
    expect(pageErrors).toEqual([])
  })
})
