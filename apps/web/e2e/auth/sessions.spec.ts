import { createApiClient, TEST_PASSWORD, uniqueEmail } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { signUp } from '../support/pages'

let e2e: TE2e

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

const HOSTILE_AGENT = '<img src=x onerror="window.__hacked=1">'

/** Signs in over HTTP as another device with this User-Agent; answers its refresh token. */
async function signInElsewhere(email: string, userAgent: string): Promise<string> {
  const response = await fetch(`${e2e.server.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({ json: { email, password: TEST_PASSWORD } }),
    signal: AbortSignal.timeout(10_000),
  })
  expect(response.status).toBe(200)
  const body = (await response.json()) as { result: { data: { json: { refreshToken: string } } } }
  return body.result.data.json.refreshToken
}

describe('sessions on the account page', () => {
  it('lists the devices, revokes another one, and revoking this one signs out', async () => {
    const { page, pageErrors } = await openApp(e2e)
    const email = uniqueEmail()
    await signUp(page, email, 'Session Freight')
    const otherRefresh = await signInElsewhere(email, HOSTILE_AGENT)

    await page.getByRole('link', { name: `Signed in as ${email}` }).click()
    const table = page.getByTestId('sessions')
    await table.getByText('This device').waitFor()
    // The other device's User-Agent is shown as text, never run as markup.
    await table.getByText(HOSTILE_AGENT).waitFor()
    expect(await page.evaluate(() => (window as { __hacked?: number }).__hacked)).toBeUndefined()
    expect(await table.locator('tbody tr').count()).toBe(2)
    await screenshot(page, 'sessions-01-listed')

    await page.getByRole('button', { name: `Revoke session ${HOSTILE_AGENT}` }).click()
    await page.getByRole('button', { name: `Confirm revoking ${HOSTILE_AGENT}` }).click()
    await page.getByText('Session revoked: that device is signed out.').waitFor()
    expect(await table.locator('tbody tr').count()).toBe(1)
    await expect(
      createApiClient(e2e.server.url).auth.refresh.mutate({ refreshToken: otherRefresh }),
    ).rejects.toThrow(/Invalid or expired refresh token/)
    await screenshot(page, 'sessions-02-other-revoked')

    await page.getByRole('button', { name: 'Revoke session this device' }).click()
    await page.getByRole('button', { name: 'Confirm revoking this device' }).click()
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
    expect(await page.evaluate(() => localStorage.length)).toBe(0)
    await screenshot(page, 'sessions-03-signed-out')
    expect(pageErrors).toEqual([])
  })
})
