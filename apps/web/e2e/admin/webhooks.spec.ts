import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, startE2e, stopE2e, type TE2e } from '../support/harness'
import { openNav, readDescribedError, signIn } from '../support/pages'

let e2e: TE2e
let receiver: Server
const received: { headers: IncomingHttpHeaders; body: string }[] = []

beforeAll(async () => {
  // The SSRF guard's escape hatch for local receivers: the receiver below is on loopback.
  e2e = await startE2e({ WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' })
  // A receiver on loopback (the one plain-http host webhooks may use), recording each POST.
  receiver = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => {
      body += chunk
    })
    request.on('end', () => {
      received.push({ headers: request.headers, body })
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
})

afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve))
  await stopE2e(e2e)
})

describe('webhooks', () => {
  it('lets an admin add a webhook, shows its secret once, delivers a signed test event, disables and deletes it', async () => {
    const org = await provisionFleet(e2e.server.url, {
      orgName: 'Hook Line Haulage',
      codes: ['TRUCK-4'],
    })
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/fms`
    const { page, pageErrors } = await openApp(e2e)
    await signIn(page, org.email)
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
    await openNav(page, 'Webhooks')
    await page.getByText('No webhooks yet.').waitFor()

    await page.getByLabel('URL', { exact: true }).fill('http://hooks.example.com/fms')
    await page.getByRole('button', { name: 'Add webhook' }).click()
    expect(await readDescribedError(page, 'URL')).toBe('Must be an https:// URL')

    await page.getByLabel('URL', { exact: true }).fill(url)
    await page.getByLabel('Overspeed', { exact: true }).check()
    await page.getByLabel('Geofence exit', { exact: true }).check()
    await page.getByRole('button', { name: 'Add webhook' }).click()
    const secretField = page.getByLabel('Signing secret')
    await secretField.waitFor()
    const secret = await secretField.inputValue()
    expect(secret).toMatch(/^whsec_[\w-]{43}$/)
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: url }) })
    await row.waitFor()
    expect(await row.textContent()).toContain('Overspeed, Geofence exit')
    expect(await row.textContent()).toContain('Enabled')
    await screenshot(page, 'webhooks-01-secret-once')

    await page.getByRole('button', { name: 'Done' }).click()
    expect(await page.getByLabel('Signing secret').count()).toBe(0)
    expect(await page.content()).not.toContain(secret)
    await page.reload()
    await row.waitFor()
    expect(await page.content()).not.toContain(secret)

    await page.getByRole('button', { name: `Send a test event to ${url}` }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Test event queued for ${url}.` })
      .waitFor()
    const deliveries = page.getByRole('region', { name: `Deliveries to ${url}` })
    const delivery = deliveries.getByRole('row').filter({ hasText: 'Test event' })
    await expect.poll(() => delivery.textContent()).toContain('Delivered')
    expect(await delivery.getByRole('cell').allTextContents()).toEqual([
      'Test event',
      'Delivered',
      '1',
      '200',
      '–',
      expect.stringMatching(/\d{2}:\d{2}:\d{2}$/),
    ])
    await screenshot(page, 'webhooks-02-delivery-log')

    // The receiver got it, signed with the secret the page showed.
    expect(received).toHaveLength(1)
    const { headers, body } = received[0]!
    const timestamp = String(headers['x-fms-timestamp'])
    const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
    expect(headers['x-fms-signature']).toBe(`t=${timestamp},v1=${mac}`)
    expect(JSON.parse(body)).toMatchObject({ type: 'test', id: headers['x-fms-event-id'] })

    await page.getByRole('button', { name: `Disable webhook ${url}` }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Webhook ${url} disabled.` })
      .waitFor()
    await page.getByRole('button', { name: `Enable webhook ${url}` }).waitFor()
    expect(await row.textContent()).toContain('Disabled')
    expect(
      await page.getByRole('button', { name: `Send a test event to ${url}` }).isDisabled(),
    ).toBe(true)

    await page.getByRole('button', { name: `Delete webhook ${url}` }).click()
    await page.getByRole('button', { name: `Confirm deleting ${url}` }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Webhook ${url} deleted.` })
      .waitFor()
    await row.waitFor({ state: 'detached' })
    await page.getByText('No webhooks yet.').waitFor()
    expect(await deliveries.count()).toBe(0)
    expect(pageErrors).toEqual([])
  })
})
