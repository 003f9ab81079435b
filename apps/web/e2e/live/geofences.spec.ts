import { postPoints, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { signIn, waitForLive } from '../support/pages'

let e2e: TE2e
const LEIPZIG = { lat: 51.34, lon: 12.37 }
/** 25 m east of LEIPZIG: about 8 px at the zoom the map fits the two vehicles at (15). */
const NEXT_DOOR = { lat: LEIPZIG.lat, lon: LEIPZIG.lon + 0.000_359_4 }
const NEXT_DOOR_PX = 8.4

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

describe('geofences on the live map', () => {
  it('outlines the geofences under the vehicles, named on hover, behind a remembered toggle', async () => {
    const org = await provisionFleet(e2e.server.url, {
      orgName: 'Zone Freight',
      codes: ['VAN-3', 'VAN-4'],
    })
    // A square about 1.3 km across around the vehicle: in view when the map centres on it.
    const d = 0.006
    await org.api.geofences.create.mutate({
      name: 'City centre',
      shape: {
        type: 'polygon',
        points: [
          [LEIPZIG.lat - d, LEIPZIG.lon - 1.6 * d],
          [LEIPZIG.lat - d, LEIPZIG.lon + 1.6 * d],
          [LEIPZIG.lat + d, LEIPZIG.lon + 1.6 * d],
          [LEIPZIG.lat + d, LEIPZIG.lon - 1.6 * d],
        ],
      },
    })
    // A yard around VAN-3 small enough (under 10 px) that Leaflet treats it like a marker.
    await org.api.geofences.create.mutate({
      name: 'Depot yard',
      shape: { type: 'circle', ...LEIPZIG, radiusM: 29 },
    })
    await org.api.geofences.create.mutate({
      name: 'Far depot',
      shape: { type: 'circle', lat: 48.1, lon: 11.5, radiusM: 500 },
    })
    const [van3, van4] = org.vehicles
    const parked = { time: Date.now(), speed: 0, heading: 0, ignition: true }
    const points = [
      { ...parked, ...LEIPZIG, device_id: van3!.deviceId },
      { ...parked, ...NEXT_DOOR, device_id: van4!.deviceId },
    ]
    expect(await postPoints(e2e.server.url, org.token.secret, points)).toBe(200)

    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await waitForLive(page)
    await page
      .getByRole('list', { name: 'Vehicles' })
      .getByRole('button', { name: /^VAN-4\b/ })
      .waitFor()
    const map = page.getByRole('region', { name: 'Live map' })
    const toggle = page.getByLabel('Geofences', { exact: true })
    expect(await toggle.isChecked()).toBe(true)
    await expect.poll(() => map.getAttribute('data-geofences')).toBe('3')
    await expect
      .poll(() => page.locator('canvas.vehicle-canvas').getAttribute('data-drawn'))
      .toBe('2')

    // Hovering inside the polygon names it.
    const box = (await map.boundingBox())!
    const inside = { x: box.x + box.width / 2 + 120, y: box.y + box.height / 2 + 90 }
    await page.mouse.move(inside.x, inside.y)
    const tooltip = page.locator('.leaflet-tooltip').filter({ hasText: 'City centre' })
    await tooltip.waitFor()
    await screenshot(page, 'live-geofences-01-outline')

    // Clicks inside the geofences still pick the vehicle under the pointer (the map centres
    // between the two), also inside the small yard around the other one.
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
    for (const [code, dx] of [
      ['VAN-4', NEXT_DOOR_PX / 2],
      ['VAN-3', -NEXT_DOOR_PX / 2],
    ] as const) {
      await page.mouse.click(centre.x + dx, centre.y)
      await page.getByRole('region', { name: code }).waitFor()
      await page.getByRole('button', { name: 'Close panel' }).click()
    }

    await toggle.uncheck()
    await expect.poll(() => map.getAttribute('data-geofences')).toBe('0')
    await page.mouse.move(inside.x + 5, inside.y + 5)
    await tooltip.waitFor({ state: 'detached' })

    // Remembered across visits in this browser.
    await page.reload()
    await waitForLive(page)
    expect(await toggle.isChecked()).toBe(false)
    await expect.poll(() => map.getAttribute('data-geofences')).toBe('0')
    await toggle.check()
    await expect.poll(() => map.getAttribute('data-geofences')).toBe('3')
    expect(pageErrors).toEqual([])
  })
})
