import { provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, signIn } from '../support/pages'

let e2e: TE2e

beforeAll(async () => {
  e2e = await startE2e()
})
afterAll(() => stopE2e(e2e))

async function getVehicles(secret: string): Promise<number> {
  const response = await fetch(`${e2e.server.url}/api/v1/vehicles`, {
    headers: { authorization: `Bearer ${secret}` },
  })
  return response.status
}

describe('API keys', () => {
  it('lets an admin create a read key shown once, see when it was used, and revoke it', async () => {
    const org = await provisionFleet(e2e.server.url, { orgName: 'Keyed Freight' })
    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await openNav(page, 'API keys')
    await page.getByText('No active API keys.').waitFor()

    const name = '<img src=x onerror=alert(1)> BI export'
    await page.getByLabel('Name', { exact: true }).fill(name)
    await page.getByLabel('Scope').selectOption('read')
    await page.getByRole('button', { name: 'Create key' }).click()
    const secretField = page.getByLabel('API key', { exact: true })
    await secretField.waitFor()
    const secret = await secretField.inputValue()
    expect(secret).toMatch(/^fmk_[A-Za-z0-9]{8}_[\w-]{43}$/)
    await page.getByRole('button', { name: 'Copy secret' }).click()
    await page.getByText('Copied to the clipboard.').waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret)
    await screenshot(page, 'api-keys-01-secret-once')
    await page.getByRole('button', { name: 'Done' }).click()

    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) })
    await row.waitFor()
    expect(await row.textContent()).toContain(`fmk_${secret.slice(4, 12)}_…`)
    expect(await row.textContent()).toContain('read')
    expect(await page.locator('img[src="x"]').count()).toBe(0)

    expect(await getVehicles(secret)).toBe(200)
    await expect
      .poll(async () => {
        await page.reload()
        await row.waitFor()
        return row.textContent()
      })
      .toContain('from 127.0.0.1')
    expect(await page.content()).not.toContain(secret)

    await row.getByRole('button', { name: `Revoke API key ${name}` }).click()
    await page.getByRole('button', { name: `Confirm revoking ${name}` }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `API key ${name} revoked.` })
      .waitFor()
    expect(await getVehicles(secret)).toBe(401)
    expect(pageErrors).toEqual([])
  })
})
