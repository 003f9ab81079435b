import { postPoints, provisionFleet, TEST_PASSWORD, uniqueEmail } from '@fms/testkit'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, signIn, signOut, waitForLive } from '../support/pages'

let e2e: TE2e
const LEIPZIG = { lat: 51.34, lon: 12.37 }
/** Half the side of the geofence square, in degrees: about 1.3 km across, in view at zoom 15. */
const D = 0.006

beforeAll(async () => {
  // The geofence rule applies to the next points at once; the webhook points at loopback.
  e2e = await startE2e({ ALERTS_RULE_CACHE_SEC: '0', WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' })
})

afterAll(() => stopE2e(e2e))

/**
 * Text that makes an element with an id starting `pwn` wherever it is parsed as HTML (and sets
 * `pwned` if a handler ran), short enough for a field of `max` characters.
 */
function markup(field: string, max = 100): string {
  const image = `<img src=x id=pwn-${field} onerror=pwned=1>`
  return image.length <= max ? image : `<b id=pwn-${field}>`
}

/**
 * Runs in the page before the app: records every element with an id starting `pwn` that is ever
 * attached, also one a tooltip shows only while hovered.
 */
function watchForInjectedElements() {
  const found: string[] = []
  Object.assign(window, { pwnFound: found })
  const check = (node: Node) => {
    if (!(node instanceof Element)) return
    if (node.id.startsWith('pwn')) found.push(node.id)
    for (const element of node.querySelectorAll('[id^="pwn"]')) found.push(element.id)
  }
  new MutationObserver((records) => {
    for (const record of records) record.addedNodes.forEach(check)
  }).observe(document, { childList: true, subtree: true })
}

/** Asserts that no markup became elements so far, naming the page in the failure. */
async function expectNoInjectedElements(page: Page, where: string) {
  const seen = await page.evaluate(() => ({
    found: (window as unknown as { pwnFound?: string[] }).pwnFound,
    hasRun: 'pwned' in window,
    attached: document.querySelectorAll('[id^="pwn"]').length,
  }))
  expect(seen, where).toEqual({ found: [], hasRun: false, attached: 0 })
}

/** Moves the pointer to a point of a map region, `dx`/`dy` pixels from its centre. */
async function hoverMap(page: Page, name: string, dx: number, dy: number) {
  const box = (await page.getByRole('region', { name }).boundingBox())!
  await page.mouse.move(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy)
}

describe('markup in names', () => {
  it('shows every name a user typed as text on every page, tooltips included, and creates no element from it', async () => {
    const orgName = `${markup('org')} Freight`
    const org = await provisionFleet(e2e.server.url, { orgName, codes: ['VAN-1'] })
    const { api, vehicle } = org
    const details = {
      plate: markup('plate', 20),
      manufacturer: markup('make', 64),
      model: markup('model', 64),
    }
    await api.vehicles.update.mutate({
      id: vehicle.id,
      ...details,
      color: markup('color', 32),
      description: markup('description', 1000),
    })
    const deviceModel = markup('device-model', 64)
    await api.devices.update.mutate({
      id: vehicle.deviceId,
      model: deviceModel,
      hwVersion: markup('hw', 64),
      swVersion: markup('sw', 64),
      note: markup('note', 1000),
    })
    const tokenTitle = `${markup('token')} token`
    await api.tokens.create.mutate({ title: tokenTitle, description: markup('token-note', 500) })
    const geofenceName = `${markup('geofence')} yard`
    const geofence = await api.geofences.create.mutate({
      name: geofenceName,
      shape: {
        type: 'polygon',
        points: [
          [LEIPZIG.lat - D, LEIPZIG.lon - 1.6 * D],
          [LEIPZIG.lat - D, LEIPZIG.lon + 1.6 * D],
          [LEIPZIG.lat + D, LEIPZIG.lon + 1.6 * D],
          [LEIPZIG.lat + D, LEIPZIG.lon - 1.6 * D],
        ],
      },
    })
    await api.rules.create.mutate({ kind: 'geofence_enter', geofenceId: geofence.id })
    const hook = await api.webhooks.create.mutate({
      url: `http://127.0.0.1:9/${markup('webhook')}`,
      kinds: ['overspeed'],
    })
    const member = { email: uniqueEmail('member'), password: TEST_PASSWORD }
    await api.users.create.mutate({ ...member, role: 'user' })
    // Driving into the geofence (2 km in two minutes: a plausible step, not a GPS outlier): an
    // alert whose message names it.
    const parked = { speed: 0, heading: 0, ignition: true, device_id: vehicle.deviceId }
    const points = [
      { ...parked, time: Date.now() - 130_000, lat: LEIPZIG.lat - 3 * D, lon: LEIPZIG.lon },
      { ...parked, time: Date.now() - 10_000, ...LEIPZIG },
    ]
    expect(await postPoints(e2e.server.url, org.token.secret, points)).toBe(200)

    const { page, pageErrors } = await openApp(e2e)
    await page.addInitScript(watchForInjectedElements)
    await page.reload()
    await signIn(page, org.email)
    await waitForLive(page)

    // Live map: the list row, the geofence's tooltip, the vehicle's panel.
    const row = page
      .getByRole('list', { name: 'Vehicles' })
      .getByRole('button', { name: /^VAN-1\b/ })
    await row.getByText(details.plate, { exact: true }).waitFor()
    const map = page.getByRole('region', { name: 'Live map' })
    await expect.poll(() => map.getAttribute('data-geofences')).toBe('1')
    await expect
      .poll(() => page.locator('canvas.vehicle-canvas').getAttribute('data-drawn'))
      .toBe('1')
    await hoverMap(page, 'Live map', 120, 90)
    const liveTooltip = page.locator('.leaflet-tooltip')
    await liveTooltip.waitFor()
    expect(await liveTooltip.textContent()).toBe(geofenceName)
    await screenshot(page, 'markup-01-live-tooltip')
    await expectNoInjectedElements(page, 'live map, geofence tooltip')
    await hoverMap(page, 'Live map', 0, 0)
    await page.mouse.down()
    await page.mouse.up()
    const panel = page.getByRole('region', { name: 'VAN-1' })
    await panel.getByText(details.plate, { exact: true }).waitFor()
    await expectNoInjectedElements(page, 'live map, vehicle panel')

    // The vehicle page: its details line and the document title.
    await panel.getByRole('link', { name: 'Open vehicle page' }).click()
    await page.getByRole('heading', { name: 'VAN-1', level: 1 }).waitFor()
    const facts = [details.plate, details.manufacturer, details.model, `VIN ${vehicle.vin}`]
    await page.getByText(facts.join(' · '), { exact: true }).waitFor()
    expect(await page.title()).toBe('VAN-1 · FMS')
    await expectNoInjectedElements(page, 'vehicle page')

    await openNav(page, 'Vehicles')
    const vehicleRow = page.getByRole('row').filter({ has: page.getByRole('rowheader') })
    await vehicleRow.getByRole('cell', { name: details.plate, exact: true }).waitFor()
    expect(await vehicleRow.getByRole('cell').nth(2).textContent()).toBe(
      `${details.manufacturer} ${details.model}`,
    )
    await page.getByRole('button', { name: 'Edit vehicle VAN-1' }).click()
    expect(await page.getByLabel('Plate', { exact: true }).inputValue()).toBe(details.plate)
    expect(await page.getByLabel('Manufacturer', { exact: true }).inputValue()).toBe(
      details.manufacturer,
    )
    await expectNoInjectedElements(page, 'vehicles page')

    await openNav(page, 'Devices')
    const deviceRow = page.getByRole('row').filter({ has: page.getByRole('rowheader') })
    await deviceRow.getByRole('cell', { name: deviceModel, exact: true }).waitFor()
    await deviceRow.getByRole('cell', { name: `${orgName} trackers`, exact: true }).waitFor()
    await expectNoInjectedElements(page, 'devices page')

    await openNav(page, 'API tokens')
    await page.getByRole('rowheader', { name: tokenTitle, exact: true }).waitFor()
    await page.getByRole('rowheader', { name: `${orgName} trackers`, exact: true }).waitFor()
    await expectNoInjectedElements(page, 'tokens page')

    await openNav(page, 'Users')
    await page.getByRole('rowheader', { name: member.email, exact: true }).waitFor()
    await expectNoInjectedElements(page, 'users page')

    await openNav(page, 'Rules')
    await page.getByRole('cell', { name: geofenceName, exact: true }).waitFor()
    expect(
      await page.getByLabel('Geofence', { exact: true }).locator('option').allTextContents(),
    ).toEqual(['No geofence', geofenceName])
    await expectNoInjectedElements(page, 'rules page')

    await openNav(page, 'Geofences')
    await page.getByRole('rowheader', { name: geofenceName, exact: true }).waitFor()
    await hoverMap(page, 'Geofence map', 0, 0)
    const editorTooltip = page.locator('.leaflet-tooltip')
    await editorTooltip.waitFor()
    expect(await editorTooltip.textContent()).toBe(geofenceName)
    await screenshot(page, 'markup-02-geofence-tooltip')
    await expectNoInjectedElements(page, 'geofences page, geofence tooltip')

    await openNav(page, 'Webhooks')
    await page.getByRole('rowheader', { name: hook.url, exact: true }).waitFor()
    await expectNoInjectedElements(page, 'webhooks page')

    await openNav(page, 'Alerts')
    await page
      .getByRole('cell', { name: `Entered geofence ${geofenceName}`, exact: true })
      .waitFor()
    await expectNoInjectedElements(page, 'alerts page')

    await openNav(page, 'Reports')
    await page.getByRole('button', { name: 'Show the days of VAN-1' }).waitFor()
    await expectNoInjectedElements(page, 'reports page')

    await openNav(page, 'Overview')
    await page.getByRole('heading', { name: 'Farthest today', level: 3 }).waitFor()
    await expectNoInjectedElements(page, 'overview page')

    await page.getByRole('link', { name: /^Signed in as / }).click()
    await page.getByRole('heading', { name: orgName, level: 1, exact: true }).waitFor()
    await expectNoInjectedElements(page, 'account page')

    // A user who is not an admin is told whose pages the admin pages are.
    await signOut(page)
    await signIn(page, member.email)
    await waitForLive(page)
    await page.evaluate(() => {
      window.location.hash = '#/webhooks'
    })
    await page.getByText(`This page is for administrators of ${orgName}.`).waitFor()
    await expectNoInjectedElements(page, 'admin page notice')
    expect(pageErrors).toEqual([])
  })
})
