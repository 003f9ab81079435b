import { provisionFleet, startDriving, uniqueEmail } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, signUp, waitForLive } from '../support/pages'

let e2e: TE2e

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

describe('tenancy', () => {
  it("shows a second organization none of the first one's fleet, live or stored", async () => {
    const first = await provisionFleet(e2e.server.url, { orgName: 'First Fleet' })
    const driving = startDriving({
      serverUrl: e2e.server.url,
      secret: first.token.secret,
      start: { lat: 48.137, lon: 11.575 },
      heading: 90,
      speedKmh: 40,
      intervalMs: 250,
    })
    const { page, pageErrors } = await openApp(e2e)
    const received: string[] = []
    page.on('websocket', (socket) => {
      socket.on('framereceived', (frame) => received.push(String(frame.payload)))
    })
    try {
      await signUp(page, uniqueEmail('rival'), 'Second Fleet')
      await waitForLive(page)
      // The first organization keeps driving while the second one watches.
      const seenAt = Date.now()
      await expect
        .poll(
          async () => (await first.api.telemetry.latest.query()).vehicles[0]?.time?.getTime() ?? 0,
        )
        .toBeGreaterThan(seenAt + 500)
      expect(await page.getByText('0 vehicles').count()).toBe(1)
      expect(await page.locator('canvas.vehicle-canvas').getAttribute('data-drawn')).toBe('0')
      await screenshot(page, 'tenancy-01-second-org-map')
    } finally {
      await driving.stop()
    }
    expect(received.length).toBeGreaterThan(0)
    for (const payload of received) {
      expect(payload).not.toContain(first.vehicle.id)
      expect(payload).not.toContain(first.vehicle.deviceId)
    }

    await openNav(page, 'Vehicles')
    await page.getByText('No vehicles yet.').waitFor()
    await openNav(page, 'Devices')
    await page.getByText('No devices yet.').waitFor()
    await openNav(page, 'API tokens')
    await page.getByText('No active tokens.').waitFor()
    await page.goto(new URL(`/#/vehicles/${first.vehicle.id}`, e2e.server.url).href)
    await page.getByRole('heading', { name: 'Vehicle not found' }).waitFor()
    expect(await page.getByText('VAN-1').count()).toBe(0)
    await screenshot(page, 'tenancy-02-foreign-vehicle-not-found')
    expect(pageErrors).toEqual([])
  })
})
