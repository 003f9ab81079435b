import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AppRouter } from '@fms/api'
import { loadConfig, startServer } from '@fms/server'
import { createTRPCClient, httpLink } from '@trpc/client'
import { type Browser, chromium, type Page } from 'playwright-core'
import superjson from 'superjson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const WEB_DIST = fileURLToPath(new URL('../../dist', import.meta.url))
const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url))
const PASSWORD = 'correct horse battery staple'

let server: Awaited<ReturnType<typeof startServer>>
let browser: Browser
let userCount = 0

beforeAll(async () => {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`No built app in ${WEB_DIST}: run \`vite build\` first (pnpm test does).`)
  }
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  console.log(`screenshots: ${SCREENSHOT_DIR}`)
  server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: 'e2e-'.padEnd(48, 'x'),
      FMS_DATA_DIR: 'memory://',
      FMS_WEB_DIST: WEB_DIST,
    }),
  )
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

function uniqueEmail(): string {
  userCount += 1
  return `dispatcher-${userCount}-${Date.now()}@example.com`
}

/** A fresh browser context per test, so no session leaks between tests; page errors fail it. */
async function openApp(): Promise<{ page: Page; pageErrors: Error[] }> {
  const context = await browser.newContext()
  const page = await context.newPage()
  const pageErrors: Error[] = []
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.goto(server.url)
  return { page, pageErrors }
}

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true })
}

function apiClient() {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: new URL('/trpc', server.url).href, transformer: superjson })],
  })
}

/** The error text an input points at with `aria-describedby` ('' when none). */
async function describedErrorOf(page: Page, label: string): Promise<string> {
  const input = page.getByLabel(label, { exact: true })
  expect(await input.getAttribute('aria-invalid')).toBe('true')
  const errorId = await input.getAttribute('aria-describedby')
  if (!errorId) return ''
  return (await page.locator(`[id="${errorId}"]`).textContent()) ?? ''
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

describe('sign-in flow', () => {
  it('registers an organization, signs out and signs in again', async () => {
    const { page, pageErrors } = await openApp()
    const email = uniqueEmail()

    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.getByLabel('Organization name').fill('Acme Haulage')
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await screenshot(page, '01-register-form')
    await page.getByRole('button', { name: 'Create account' }).click()

    await page.getByText(`Signed in as ${email}`).waitFor()
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Acme Haulage')
    expect(await page.locator('dd').allTextContents()).toEqual(['Acme Haulage', 'admin'])
    await screenshot(page, '02-signed-in-after-register')

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    expect(await page.evaluate(() => localStorage.length)).toBe(0)
    await screenshot(page, '03-signed-out')

    await signIn(page, email, PASSWORD)
    await page.getByText(`Signed in as ${email}`).waitFor()
    await screenshot(page, '04-signed-in-again')
    expect(pageErrors).toEqual([])
  })

  it('shows an alert for a wrong password', async () => {
    const email = uniqueEmail()
    await apiClient().auth.register.mutate({ email, password: PASSWORD, orgName: 'Beta Freight' })
    const { page, pageErrors } = await openApp()

    await signIn(page, email, 'not the password')

    const alert = page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.textContent()).toBe('Invalid email or password')
    expect(await page.getByText('Signed in as').count()).toBe(0)
    await screenshot(page, '05-wrong-password')
    expect(pageErrors).toEqual([])
  })

  it('shows field errors from the shared schema before calling the server', async () => {
    const { page, pageErrors } = await openApp()

    await page.getByRole('button', { name: 'Sign in' }).click()

    expect(await describedErrorOf(page, 'Email')).toBe('Enter a valid email address')
    expect(await describedErrorOf(page, 'Password')).toBe('Enter your password')
    await screenshot(page, '06-field-errors')
    expect(pageErrors).toEqual([])
  })

  it('shows a server field error next to its field', async () => {
    const email = uniqueEmail()
    await apiClient().auth.register.mutate({ email, password: PASSWORD, orgName: 'Gamma Fleet' })
    const { page, pageErrors } = await openApp()

    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.getByLabel('Organization name').fill('Gamma Fleet Again')
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()

    await page.getByRole('alert').waitFor()
    expect(await describedErrorOf(page, 'Email')).toBe('An account with this email already exists')
    await screenshot(page, '07-server-field-error')
    expect(pageErrors).toEqual([])
  })

  it('refreshes an access token that is about to expire before calling the server', async () => {
    const email = uniqueEmail()
    const signedUp = await apiClient().auth.register.mutate({
      email,
      password: PASSWORD,
      orgName: 'Delta Transport',
    })
    const { page, pageErrors } = await openApp()
    const expiringSoon = {
      accessToken: signedUp.accessToken,
      refreshToken: signedUp.refreshToken,
      accessTokenExpiresAt: new Date(Date.now() + 5_000).toISOString(),
    }
    await page.evaluate((stored) => {
      localStorage.setItem('fms.session', JSON.stringify(stored))
    }, expiringSoon)

    await page.reload()

    await page.getByText(`Signed in as ${email}`).waitFor()
    const stored = await page.evaluate(() =>
      JSON.parse(localStorage.getItem('fms.session') ?? '{}'),
    )
    expect(stored.refreshToken).not.toBe(signedUp.refreshToken)
    expect(Date.parse(stored.accessTokenExpiresAt)).toBeGreaterThan(Date.now() + 60_000)
    expect(pageErrors).toEqual([])
  })
})
