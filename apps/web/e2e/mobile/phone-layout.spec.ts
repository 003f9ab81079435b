import {
  createTrip,
  type Fleet,
  postPoints,
  provisionFleet,
  TEST_PASSWORD,
  uniqueEmail,
} from '@fms/testkit'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTE_ENTRIES, type TRouteEntry } from '../../src/routes/route-table'
import {
  DESKTOP,
  openApp,
  PHONE,
  screenshot,
  startE2e,
  stopE2e,
  type TE2e,
} from '../support/harness'
import { signIn } from '../support/pages'

let e2e: TE2e
let org: Fleet
/** A working share link's token, for the public share route. */
let shareToken: string
const GHENT = { lat: 51.05, lon: 3.72 }
/** WCAG 2.5.5: the smallest comfortable touch target, in CSS px (half a pixel for rounding). */
const MIN_TARGET = 44 - 0.5

beforeAll(async () => {
  // A webhook to this machine's discard port, so the webhooks page has a row.
  e2e = await startE2e({ ALERTS_RULE_CACHE_SEC: '0', WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' })
  org = await provisionFleet(e2e.server.url, {
    orgName: 'Phone Freight',
    codes: ['TRUCK-1', 'VAN-2', 'CAR-3'],
  })
  await seedDemoData(org)
  const share = await org.api.shares.create.mutate({
    vehicleIds: [org.vehicle.id],
    expiresAt: new Date(Date.now() + 3_600_000),
  })
  shareToken = share.token
})

afterAll(() => stopE2e(e2e))

/** Something on every page: positions, a finished trip, alerts, a driver, schedules, receipts. */
async function seedDemoData(fleet: Fleet) {
  const [truck, van] = fleet.vehicles
  const { api } = fleet
  await api.rules.create.mutate({ kind: 'overspeed', threshold: 80, durationSec: 0 })
  const trip = createTrip({
    start: GHENT,
    heading: 45,
    speedKmh: 90,
    parkedMinutes: 3,
    drivingMinutes: 15,
    stoppedMinutes: 8,
    endMinutesAgo: 5,
  }).map((point) => ({ ...point, device_id: truck!.deviceId }))
  expect(await postPoints(e2e.server.url, fleet.token.secret, trip)).toBe(200)
  const now = { device_id: van!.deviceId, time: Date.now(), ...GHENT, speed: 40, heading: 90 }
  expect(await postPoints(e2e.server.url, fleet.token.secret, [now])).toBe(200)
  const driver = await api.drivers.create.mutate({
    name: 'Katrien Vermeulen',
    identifier: 'RFID-7',
  })
  await api.drivers.assign.mutate({ driverId: driver.id, vehicleId: truck!.id })
  await api.geofences.create.mutate({
    name: 'Ghent depot',
    shape: { type: 'circle', ...GHENT, radiusM: 400 },
  })
  await api.maintenance.create.mutate({
    name: 'Oil and filters',
    vehicleId: truck!.id,
    everyKm: 10_000,
    warnKm: 500,
  })
  await api.fuel.create.mutate({
    vehicleId: truck!.id,
    time: new Date(Date.now() - 3_600_000),
    litres: 62.5,
    price: 109.4,
    station: 'Total Ghent Ring',
  })
  await api.webhooks.create.mutate({ url: 'http://127.0.0.1:9/fleet-hook', kinds: ['overspeed'] })
  await api.users.create.mutate({
    email: uniqueEmail('dispatcher'),
    password: TEST_PASSWORD,
    role: 'user',
  })
}

/** The route's `#/path`, `:id` filled with a vehicle's id and `:token` with a share link's. */
function hashOf(entry: TRouteEntry): string {
  return `#${entry.path.replace(':id', org.vehicle.id).replace(':token', shareToken)}`
}

/** Opens a route in the running app and waits until it has rendered and finished loading. */
async function openRoute(page: Page, entry: TRouteEntry) {
  await page.evaluate((hash) => {
    window.location.hash = hash
  }, hashOf(entry))
  if (entry.title !== null) {
    await page.waitForFunction((title) => document.title.startsWith(title), entry.title)
  }
  await page.locator('h1').first().waitFor()
  await page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null)
}

/** The box of the first element matching `selector`, once it is laid out with a size. */
async function measureBox(page: Page, selector: string) {
  const handle = await page.waitForFunction((css) => {
    const rect = document.querySelector(css)?.getBoundingClientRect()
    return rect && rect.width > 0 && rect.height > 0
      ? { x: rect.x, y: rect.y, width: rect.width, height: rect.height }
      : null
  }, selector)
  return (await handle.jsonValue()) as { x: number; y: number; width: number; height: number }
}

/** How far the page reaches past the screen's right edge, in CSS px (0 when it fits). */
function measureOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const scroller = document.scrollingElement ?? document.documentElement
    return Math.max(0, scroller.scrollWidth - window.innerWidth)
  })
}

/**
 * Visible controls smaller than `min` px either way: everything in the top bar and its menu, and
 * the buttons, fields and button links of the page (text links inside sentences and tables are
 * exempt, as WCAG exempts inline targets).
 */
function findSmallTargets(page: Page, min: number): Promise<string[]> {
  return page.evaluate((minSize) => {
    const selector = [
      '.top-bar a',
      '.top-bar button',
      '.shell button',
      '.shell select',
      '.shell textarea',
      '.shell input:not([type="checkbox"]):not([type="radio"]):not([type="hidden"])',
      '.shell .button-link',
      '.leaflet-bar a',
    ].join(', ')
    const small: string[] = []
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      const box = element.getBoundingClientRect()
      // Not rendered, or hidden for screen readers only (1 px).
      if (box.width <= 1 || box.height <= 1) continue
      if (getComputedStyle(element).visibility === 'hidden') continue
      if (box.width < minSize || box.height < minSize) {
        const name = (element.getAttribute('aria-label') ?? element.textContent ?? '').trim()
        small.push(
          `<${element.tagName.toLowerCase()}> "${name.slice(0, 40)}" ${Math.round(box.width)}×${Math.round(box.height)}`,
        )
      }
    }
    return small
  }, min)
}

/** Width and height from a PNG's header. */
function readPngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  expect([...bytes.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47])
  return { width: view.getUint32(16), height: view.getUint32(20) }
}

function openPhone(path = '/') {
  return openApp(e2e, path, { device: PHONE })
}

async function signInOnPhone() {
  const opened = await openPhone()
  await signIn(opened.page, org.email)
  await opened.page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
  return opened
}

describe('the web app on a 390 × 844 phone', () => {
  it('walks every page of the route table: nothing scrolls sideways, every control is 44 px to touch', async () => {
    const problems: string[] = []
    async function check(page: Page, entry: TRouteEntry, state: string) {
      await openRoute(page, entry)
      const overflow = await measureOverflow(page)
      if (overflow > 0) problems.push(`${entry.name} (${state}): ${overflow} px too wide`)
      for (const target of await findSmallTargets(page, MIN_TARGET)) {
        problems.push(`${entry.name} (${state}): ${target}`)
      }
      await screenshot(page, `phone-${entry.name}`)
    }

    const signedIn = await signInOnPhone()
    const inside = ROUTE_ENTRIES.filter((e) => e.access === 'signed-in' || e.access === 'admin')
    for (const entry of inside) await check(signedIn.page, entry, 'admin')
    expect(signedIn.pageErrors).toEqual([])
    await signedIn.context.close()

    const signedOut = await openPhone()
    const outside = ROUTE_ENTRIES.filter((e) => e.access === 'signed-out' || e.access === 'anyone')
    for (const entry of outside) await check(signedOut.page, entry, 'signed out')
    expect(signedOut.pageErrors).toEqual([])
    await signedOut.context.close()

    // Every route was walked, whoever added it.
    expect(inside.length + outside.length).toBe(ROUTE_ENTRIES.length)
    expect(problems).toEqual([])
  }, 300_000)

  it('folds the navigation into a menu button in a top bar at most 56 px high', async () => {
    const { page, context } = await signInOnPhone()
    const bar = await page.locator('.top-bar').boundingBox()
    expect(bar!.height).toBeLessThanOrEqual(56)
    const nav = page.getByRole('navigation', { name: 'Main' })
    expect(await nav.isVisible()).toBe(false)
    const menu = page.getByRole('button', { name: 'Menu' })
    expect(await menu.getAttribute('aria-expanded')).toBe('false')

    await menu.click()
    expect(await menu.getAttribute('aria-expanded')).toBe('true')
    expect(await nav.getByRole('link', { name: 'Live map' }).isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true)
    // Focus moves into the menu; Escape closes it and gives focus back to the button.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Live map')
    await screenshot(page, 'phone-menu-open')
    await page.keyboard.press('Escape')
    expect(await menu.getAttribute('aria-expanded')).toBe('false')
    expect(await nav.isVisible()).toBe(false)
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Menu',
    )

    // Following a link closes the menu.
    await menu.click()
    await nav.getByRole('link', { name: 'Vehicles' }).click()
    await page.getByRole('heading', { name: 'Vehicles', level: 1 }).waitFor()
    expect(await menu.getAttribute('aria-expanded')).toBe('false')
    await context.close()
  })

  it('gives the live map the screen, the list as a bottom sheet and the panel over the map', async () => {
    const { page, context, pageErrors } = await signInOnPhone()
    const screenArea = PHONE.viewport.width * PHONE.viewport.height
    // Laid out a moment after the heading (and drawn again once the fleet has loaded): measure
    // in the page once it has a size, so a redraw between two steps can't leave nothing to measure.
    const mapBox = await measureBox(page, '.fleet-map')
    const share = (mapBox.width * mapBox.height) / screenArea
    console.log(`live map share of a 390×844 screen, list collapsed: ${(share * 100).toFixed(1)} %`)
    expect(share).toBeGreaterThanOrEqual(0.6)
    expect(mapBox.width).toBe(PHONE.viewport.width)
    expect(await page.getByLabel('Search vehicles').isVisible()).toBe(false)
    await screenshot(page, 'phone-live-map')

    const toggle = page.getByRole('button', { name: 'Vehicle list' })
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    await toggle.click()
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    await page.getByLabel('Search vehicles').fill('VAN')
    await page.getByText('Showing 1 of 3').waitFor()
    await screenshot(page, 'phone-live-map-list')
    await page.getByRole('list', { name: 'Vehicles' }).getByRole('button').first().click()

    // The sheet closes and the vehicle's panel opens over the map.
    const panel = page.getByRole('region', { name: 'VAN-2' })
    await panel.waitFor()
    expect(await page.getByLabel('Search vehicles').isVisible()).toBe(false)
    const panelBox = (await panel.boundingBox())!
    const mapAfter = await measureBox(page, '.fleet-map')
    expect(panelBox.x).toBeGreaterThanOrEqual(mapAfter.x)
    expect(panelBox.x + panelBox.width).toBeLessThanOrEqual(mapAfter.x + mapAfter.width)
    expect(panelBox.y).toBeGreaterThanOrEqual(mapAfter.y)
    expect(panelBox.y + panelBox.height).toBeLessThanOrEqual(mapAfter.y + mapAfter.height)
    expect(await measureOverflow(page)).toBe(0)
    await screenshot(page, 'phone-live-map-panel')
    expect(pageErrors).toEqual([])
    await context.close()
  })

  it('is installable: a valid manifest, and a service worker that keeps only the app shell', async () => {
    const manifestResponse = await fetch(new URL('/manifest.webmanifest', e2e.server.url))
    expect(manifestResponse.headers.get('content-type')).toBe('application/manifest+json')
    const manifest = await manifestResponse.json()
    expect(manifest).toMatchObject({
      name: expect.any(String),
      short_name: 'FMS',
      start_url: expect.stringMatching(/^\//),
      scope: '/',
      display: 'standalone',
      theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
      background_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
    })
    const pngs: string[] = []
    for (const icon of manifest.icons as {
      src: string
      sizes: string
      type: string
      purpose: string
    }[]) {
      const response = await fetch(new URL(icon.src, e2e.server.url))
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe(icon.type)
      if (icon.type !== 'image/png') continue
      const { width, height } = readPngSize(new Uint8Array(await response.arrayBuffer()))
      expect(`${width}x${height}`).toBe(icon.sizes)
      pngs.push(`${icon.sizes} ${icon.purpose}`)
    }
    expect(pngs).toEqual(['192x192 any', '512x512 any', '512x512 maskable'])

    const { page, context } = await signInOnPhone()
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe(
      '/manifest.webmanifest',
    )
    const worker = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready
      return { scope: registration.scope, script: registration.active?.scriptURL }
    })
    expect(worker.scope).toBe(new URL('/', e2e.server.url).href)
    expect(worker.script).toBe(new URL('/sw.js', e2e.server.url).href)
    await page.reload()
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
      worker.script,
    )

    // Pages that ask the API a lot; then the caches hold the shell and build files, no data.
    for (const name of ['reports', 'alerts', 'vehicle'] as const) {
      await openRoute(page, ROUTE_ENTRIES.find((entry) => entry.name === name)!)
    }
    const cached = await page.evaluate(async () => {
      const paths: string[] = []
      for (const name of await caches.keys()) {
        const cache = await caches.open(name)
        for (const request of await cache.keys()) paths.push(new URL(request.url).pathname)
      }
      return paths
    })
    expect(cached).toContain('/')
    expect(cached.some((path) => path.startsWith('/assets/'))).toBe(true)
    const notShell = cached.filter(
      (path) => path !== '/' && !path.startsWith('/assets/') && !/^\/(icons\/|manifest)/.test(path),
    )
    expect(notShell).toEqual([])

    // Offline, the app still opens from the cache and says the data is not live.
    await context.setOffline(true)
    await page.reload()
    await page
      .getByRole('status')
      .filter({ hasText: /^Offline:/ })
      .waitFor()
    await page.getByRole('button', { name: 'Menu' }).waitFor()
    await screenshot(page, 'phone-offline')
    await context.setOffline(false)
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    await page
      .getByRole('status')
      .filter({ hasText: /^Offline:/ })
      .waitFor({ state: 'detached' })
    await context.close()
  })
})

describe('the web app on a desktop screen', () => {
  it('keeps the navigation inline and the list beside the map', async () => {
    const { page, context } = await openApp(e2e, '/', { device: DESKTOP })
    await signIn(page, org.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    expect(await page.getByRole('button', { name: 'Menu' }).isVisible()).toBe(false)
    const nav = page.getByRole('navigation', { name: 'Main' })
    expect(await nav.getByRole('link', { name: 'Live map' }).isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: 'Vehicle list' }).isVisible()).toBe(false)
    expect(await page.getByLabel('Search vehicles').isVisible()).toBe(true)
    // The admin's navigation is complete (its rows set the top bar's height) before measuring.
    await page.getByRole('link', { name: /^Signed in as / }).waitFor()
    await nav.getByRole('link', { name: 'Users' }).waitFor()
    const [list, map] = await page.evaluate(() =>
      ['.fleet-sidebar', '.fleet-map'].map((selector) => {
        const box = document.querySelector(selector)!.getBoundingClientRect()
        return { x: box.x, y: box.y, width: box.width, height: box.height }
      }),
    )
    if (!list || !map) throw new Error('no list or map')
    // Side by side, the same height, the map to the right of the list.
    expect(map.x).toBeGreaterThanOrEqual(list.x + list.width - 1)
    expect(Math.abs(map.y - list.y)).toBeLessThanOrEqual(1)
    expect(map.width).toBeGreaterThan(list.width)
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: /^Offline:/ })
        .count(),
    ).toBe(0)
    await screenshot(page, 'desktop-map')
    await context.close()
  })
})
