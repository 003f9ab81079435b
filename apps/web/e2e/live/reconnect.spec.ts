import { createJwtService } from '@fms/auth'
import { postPoints, provisionFleet, TEST_JWT_SECRET } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { waitForLive } from '../support/pages'

let e2e: TE2e

beforeAll(async () => {
  e2e = await startE2e()
})

afterAll(() => stopE2e(e2e))

describe('live connection', () => {
  it('reconnects with a refreshed token when the server closes the socket at token expiry', async () => {
    const org = await provisionFleet(e2e.server.url, {
      orgName: 'Night Shift Freight',
      codes: ['TAXI-9'],
    })
    // An access token that dies in 3 s while this browser believes it is good for an hour
    // (as with a skewed clock): only the server's 4001 close tells the app it expired.
    const shortLived = await createJwtService({
      secret: TEST_JWT_SECRET,
      accessTtlSec: 3,
    }).signAccessToken({
      sub: org.session.user.id,
      org: org.session.user.orgId,
      role: 'admin',
    })
    const { page, pageErrors } = await openApp(e2e)
    const sockets: string[] = []
    page.on('websocket', (socket) => sockets.push(socket.url()))
    await page.evaluate((stored) => localStorage.setItem('fms.session', JSON.stringify(stored)), {
      accessToken: shortLived.token,
      refreshToken: org.session.refreshToken,
      accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    })
    await page.reload()
    await waitForLive(page)
    await expect.poll(() => sockets.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2)
    await waitForLive(page)

    const status = await postPoints(e2e.server.url, org.token.secret, [
      { time: Date.now(), lat: 40.4168, lon: -3.7038, speed: 33, heading: 180 },
    ])
    expect(status).toBe(200)
    const row = page
      .getByRole('list', { name: 'Vehicles' })
      .getByRole('button', { name: /^TAXI-9/ })
    await expect.poll(() => row.textContent()).toContain('33 km/h')
    const stored = await page.evaluate(() =>
      JSON.parse(localStorage.getItem('fms.session') ?? '{}'),
    )
    expect(stored.refreshToken).not.toBe(org.session.refreshToken)
    await screenshot(page, 'live-01-after-reconnect')
    expect(pageErrors).toEqual([])
  })
})
