import { postTelemetry, provisionFleet } from '@fms/testkit'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, signIn, waitForLive } from '../support/pages'

let e2e: TE2e

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

const canvasData = (page: Page, name: string) =>
  page.locator('canvas.vehicle-canvas').getAttribute(`data-${name}`)

describe('the live map zoomed out', () => {
  it('folds a crowded city into one cluster with its count, and shows each vehicle zoomed in', async () => {
    const fleet = await provisionFleet(e2e.server.url, { vehicles: 30, orgName: 'Big Fleet' })
    const now = Date.now()
    // 25 vehicles on a 5 × 5 grid 300 m apart in Munich, 5 spread 20 km apart around Berlin.
    const body = fleet.deviceIds.map((deviceId, i) => ({
      device_id: deviceId,
      time: now - 5000,
      lat: i < 25 ? 48.137 + Math.floor(i / 5) * 0.0027 : 52.52 + (i - 25) * 0.18,
      lon: i < 25 ? 11.575 + (i % 5) * 0.004 : 13.405,
      speed: 0,
      ignition: false,
    }))
    expect((await postTelemetry(e2e.server.url, { token: fleet.token.secret, body })).status).toBe(
      200,
    )
    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, fleet.email)
    await openNav(page, 'Live map')
    await waitForLive(page)
    // The map fits both cities: Munich's 25 are one cluster, Berlin's 5 are drawn one by one.
    await expect.poll(() => canvasData(page, 'clusters')).toBe('1')
    expect(await canvasData(page, 'clustered')).toBe('25')
    expect(await canvasData(page, 'drawn')).toBe('5')
    await screenshot(page, 'map-01-clusters')
    // Focusing a Munich vehicle zooms in: every vehicle there is drawn on its own.
    await page
      .getByRole('list', { name: 'Vehicles' })
      .getByRole('button', { name: /^V-1\b/ })
      .click()
    await expect.poll(() => canvasData(page, 'clusters')).toBe('0')
    expect(await canvasData(page, 'drawn')).toBe('25')
    expect(pageErrors).toEqual([])
  })
})
