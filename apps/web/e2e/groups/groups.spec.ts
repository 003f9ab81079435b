import { postTelemetry, provisionFleet, TEST_PASSWORD, uniqueEmail } from '@fms/testkit'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, signIn, signOut, waitForLive } from '../support/pages'

let e2e: TE2e

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

const HOSTILE = '<img src=x onerror=alert(1)> South'

/** The codes in the live map's fleet list, in order. */
async function readMapList(page: Page): Promise<string[]> {
  return page.getByRole('list', { name: 'Vehicles' }).locator('.vehicle-code').allTextContents()
}

/** The vehicle codes in the vehicles table, in order. */
async function readVehiclesTable(page: Page): Promise<string[]> {
  return page.getByRole('table', { name: 'Vehicles' }).getByRole('rowheader').allTextContents()
}

/** Markers on the canvas, one by one or folded into clusters. */
async function countMarkers(page: Page): Promise<number> {
  const canvas = page.locator('canvas.vehicle-canvas')
  const drawn = Number(await canvas.getAttribute('data-drawn'))
  const clustered = Number(await canvas.getAttribute('data-clustered'))
  return drawn + clustered
}

describe('vehicle groups', () => {
  it('lets an admin group vehicles and filter by group, and limits a user to a group', async () => {
    const fleet = await provisionFleet(e2e.server.url, {
      orgName: 'Depot Freight',
      codes: ['LOOSE-1', 'NORTH-1', 'NORTH-2', 'SOUTH-1'],
    })
    const now = Date.now()
    // Four towns far apart, so each vehicle is its own marker.
    const body = fleet.deviceIds.map((deviceId, i) => ({
      device_id: deviceId,
      time: now - 5000,
      lat: 48 + i,
      lon: 10 + i,
      speed: 0,
      ignition: false,
    }))
    expect((await postTelemetry(e2e.server.url, { token: fleet.token.secret, body })).status).toBe(
      200,
    )
    const { page, pageErrors } = await openApp(e2e)
    const dialogs: string[] = []
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    await signIn(page, fleet.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()

    // A group of two chosen through the fleet search; a search that hides them keeps them.
    await openNav(page, 'Groups')
    await page.getByText('No groups yet.').waitFor()
    await page.getByLabel('Name', { exact: true }).fill('North')
    await page.getByLabel('Search the fleet').fill('north')
    await page.getByLabel('NORTH-2').waitFor()
    expect(await page.getByLabel('SOUTH-1').count()).toBe(0)
    await page.getByLabel('NORTH-1').check()
    await page.getByLabel('NORTH-2').check()
    await page.getByLabel('Search the fleet').fill('south')
    await page.getByLabel('SOUTH-1').waitFor()
    await page.getByText('2 vehicles chosen, 2 of them not listed here (kept).').waitFor()
    await page.getByRole('button', { name: 'Add group' }).click()
    await page.getByRole('status').filter({ hasText: 'Group North added.' }).waitFor()
    const groupsTable = page.getByRole('table', { name: 'Groups' })
    await groupsTable
      .getByRole('row', { name: /^North\b/ })
      .getByRole('cell', { name: '2' })
      .waitFor()

    // A group named with markup, given its vehicle on the vehicle form.
    await page.getByLabel('Name', { exact: true }).fill(HOSTILE)
    await page.getByRole('button', { name: 'Add group' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Group ${HOSTILE} added.` })
      .waitFor()
    await groupsTable.getByRole('rowheader', { name: HOSTILE }).waitFor()
    await openNav(page, 'Vehicles')
    await page.getByRole('button', { name: 'Edit vehicle SOUTH-1' }).click()
    const editForm = page.getByRole('form', { name: 'Edit vehicle SOUTH-1' })
    await editForm.getByRole('group', { name: 'Groups' }).getByLabel(HOSTILE).check()
    await editForm.getByRole('button', { name: 'Save vehicle' }).click()
    await page.getByRole('status').filter({ hasText: 'Vehicle SOUTH-1 saved.' }).waitFor()
    expect(
      (await fleet.api.vehicles.byId.query({ id: fleet.vehicleIds[3] ?? '' })).groupIds,
    ).toHaveLength(1)

    // The vehicles page filtered by group.
    await expect
      .poll(() => readVehiclesTable(page))
      .toEqual(['LOOSE-1', 'NORTH-1', 'NORTH-2', 'SOUTH-1'])
    await page.getByLabel('Group', { exact: true }).selectOption({ label: 'North' })
    await expect.poll(() => readVehiclesTable(page)).toEqual(['NORTH-1', 'NORTH-2'])
    await page.getByLabel('Group', { exact: true }).selectOption({ label: HOSTILE })
    await expect.poll(() => readVehiclesTable(page)).toEqual(['SOUTH-1'])
    await screenshot(page, 'groups-01-vehicles-by-group')

    // The live map's list and markers filtered by group.
    await openNav(page, 'Live map')
    await waitForLive(page)
    await expect.poll(() => readMapList(page)).toEqual(['LOOSE-1', 'NORTH-1', 'NORTH-2', 'SOUTH-1'])
    await expect.poll(() => countMarkers(page)).toBe(4)
    await page.getByLabel('Group', { exact: true }).selectOption({ label: 'North' })
    await expect.poll(() => readMapList(page)).toEqual(['NORTH-1', 'NORTH-2'])
    await expect.poll(() => countMarkers(page)).toBe(2)
    await page.getByText('Showing 2 of 4').waitFor()
    await screenshot(page, 'groups-02-map-by-group')
    await page.getByLabel('Group', { exact: true }).selectOption({ label: 'All groups' })
    await expect.poll(() => countMarkers(page)).toBe(4)

    // A user limited to the markup-named group.
    await openNav(page, 'Users')
    const userEmail = uniqueEmail('south')
    await page.getByLabel('Email', { exact: true }).fill(userEmail)
    await page.getByLabel('Initial password').fill(TEST_PASSWORD)
    await page.getByLabel('Role', { exact: true }).selectOption('user')
    await page.getByRole('group', { name: 'Limit to groups' }).getByLabel(HOSTILE).check()
    await page.getByRole('button', { name: 'Add user' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `${userEmail} added as user.` })
      .waitFor()
    await page
      .getByRole('row', { name: new RegExp(`^${userEmail}`) })
      .getByRole('cell', { name: HOSTILE })
      .waitFor()
    await screenshot(page, 'groups-03-users-limited')
    expect(await page.locator('main img').count()).toBe(0)
    await signOut(page)

    await signIn(page, userEmail)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await waitForLive(page)
    await expect.poll(() => readMapList(page)).toEqual(['SOUTH-1'])
    await expect.poll(() => countMarkers(page)).toBe(1)
    await page.getByText('1 vehicle ·').waitFor()
    await screenshot(page, 'groups-04-limited-user-map')
    await openNav(page, 'Vehicles')
    await expect.poll(() => readVehiclesTable(page)).toEqual(['SOUTH-1'])
    expect(
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Groups' })
        .count(),
    ).toBe(0)

    expect(await page.locator('main img').count()).toBe(0)
    expect(dialogs).toEqual([])
    expect(pageErrors).toEqual([])
  })
})
