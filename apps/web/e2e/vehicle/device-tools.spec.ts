import { readFile } from 'node:fs/promises'
import { postPoints, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, startE2e, stopE2e, type TE2e } from '../support/harness'
import { signIn } from '../support/pages'

let e2e: TE2e

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

describe('vehicle page: history files and commands', () => {
  it('exports GPX, sends and cancels a command, and imports a CSV with its summary', async () => {
    const org = await provisionFleet(e2e.server.url, { orgName: 'Files Haulage' })
    const van = org.vehicles[0]!
    const start = Date.now() - 3_600_000
    const points = Array.from({ length: 10 }, (_, i) => ({
      device_id: van.deviceId,
      time: start + i * 60_000,
      lat: 51.9 + i * 1e-3,
      lon: 4.48,
      speed: 30,
    }))
    expect(await postPoints(e2e.server.url, org.token.secret, points)).toBe(200)

    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await page.goto(new URL(`/#/vehicles/${van.id}`, e2e.server.url).href)
    await page.getByRole('heading', { name: van.code, level: 1 }).waitFor()

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export GPX' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/\.gpx$/)
    const gpx = await readFile((await download.path())!, 'utf8')
    expect(gpx.match(/<trkpt /g)).toHaveLength(10)

    const commands = page.getByRole('region', { name: 'Commands' })
    await commands.getByLabel('Seconds').fill('30')
    await commands.getByRole('button', { name: 'Send command' }).click()
    await commands.getByRole('cell', { name: 'report every 30 s', exact: true }).waitFor()
    await commands.getByTestId('command-status').filter({ hasText: 'queued' }).waitFor()
    await commands.getByRole('button', { name: 'Cancel command report every 30 s' }).click()
    await commands.getByRole('button', { name: 'Confirm cancel' }).click()
    await commands.getByTestId('command-status').filter({ hasText: 'cancelled' }).waitFor()

    const t = (minutes: number) => new Date(start + minutes * 60_000 + 30_000).toISOString()
    const csv = `time,lat,lon,status\n${t(1)},51.95,4.5,<b>ok</b>\n${t(2)},95,4.5,x\n`
    const importer = page.getByRole('region', { name: 'Import history' })
    await importer.getByLabel('GPX or CSV file').setInputFiles({
      name: 'history.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    })
    await importer.getByRole('button', { name: 'Import' }).click()
    const summary = importer.getByTestId('import-summary')
    await summary.waitFor()
    expect(await summary.textContent()).toContain(
      '1 stored, 0 already there (skipped), 1 rejected.',
    )
    expect(await summary.textContent()).toContain('line 3: lat must be <= 90')
    expect(pageErrors).toEqual([])
  })
})
