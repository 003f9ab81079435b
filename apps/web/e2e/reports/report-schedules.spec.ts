import { provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, signIn } from '../support/pages'

let e2e: TE2e

// No SMTP_URL: email is off, so the page must say nothing will be sent, yet let schedules be kept.
beforeAll(async () => {
  e2e = await startE2e()
})
afterAll(() => stopE2e(e2e))

describe('scheduled reports', () => {
  it('lets an admin add a schedule, edit it and remove it, and says email is off', async () => {
    const org = await provisionFleet(e2e.server.url, {
      orgName: 'Schedule Freight',
      codes: ['SCH-1', 'SCH-2'],
    })
    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await openNav(page, 'Reports')
    await page.getByRole('link', { name: 'Scheduled reports' }).click()
    await page.getByRole('heading', { name: 'Scheduled reports', level: 1 }).waitFor()
    await page.getByText('Email is off on this server').waitFor()
    await page.getByText('No report schedules yet.').waitFor()

    // No recipient ticked: the shared schema refuses it in the browser.
    const form = page.getByRole('form', { name: 'Add a report schedule' })
    await form.getByLabel('Name', { exact: true }).fill('<b>Weekly</b> summary')
    await form.getByLabel('Frequency').selectOption('weekly')
    await form.getByLabel('Send at').selectOption('7')
    await form.getByRole('button', { name: 'Add schedule' }).click()
    await form.getByText('Pick at least one recipient').waitFor()

    await form.getByLabel(org.email).check()
    await form.getByRole('button', { name: 'Add schedule' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: 'Report schedule <b>Weekly</b> summary added.' })
      .waitFor()
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: '<b>Weekly</b> summary' }) })
    await row.waitFor()
    expect(await row.textContent()).toContain('Weekly (Mondays) at 07:00, UTC (organization)')
    expect(await row.textContent()).toContain('Never')
    expect(await page.locator('main b').count()).toBe(0)
    await screenshot(page, 'report-schedules-01-added')

    await page.getByRole('button', { name: 'Edit report schedule <b>Weekly</b> summary' }).click()
    const edit = page.getByRole('form', { name: 'Edit report schedule <b>Weekly</b> summary' })
    await edit.getByLabel('Name', { exact: true }).fill('Monthly fleet')
    await edit.getByLabel('Frequency').selectOption('monthly')
    await edit.getByLabel('Time zone').selectOption('Europe/Berlin')
    await edit.getByLabel('SCH-2', { exact: true }).check()
    expect(await edit.getByLabel(org.email).isChecked()).toBe(true)
    await edit.getByRole('button', { name: 'Save schedule' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: 'Report schedule Monthly fleet saved.' })
      .waitFor()
    const edited = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Monthly fleet' }) })
    await edited.waitFor()
    expect(await edited.textContent()).toContain('Monthly (on the 1st) at 07:00, Europe/Berlin')
    const [schedule] = (await org.api.reports.schedules.list.query()).items
    expect(schedule).toMatchObject({
      name: 'Monthly fleet',
      frequency: 'monthly',
      sendHour: 7,
      timeZone: 'Europe/Berlin',
      recipientUserIds: [org.session.user.id],
      vehicleIds: [org.vehicleIds[1]],
    })
    await screenshot(page, 'report-schedules-02-edited')

    await page.getByRole('button', { name: 'Remove report schedule Monthly fleet' }).click()
    await page.getByRole('button', { name: 'Confirm removing Monthly fleet' }).click()
    await page.getByText('No report schedules yet.').waitFor()
    expect((await org.api.reports.schedules.list.query()).items).toEqual([])
    expect(pageErrors).toEqual([])
  })
})
