import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AppRouter } from '@fms/api'
import { loadConfig, startServer } from '@fms/server'
import { createTRPCClient, httpLink } from '@trpc/client'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import superjson from 'superjson'

export const WEB_DIST = fileURLToPath(new URL('../../dist', import.meta.url))
export const SCREENSHOT_DIR = fileURLToPath(
  new URL('../../test-results/screenshots', import.meta.url),
)
export const PASSWORD = 'correct horse battery staple'
export const JWT_SECRET = 'e2e-'.padEnd(48, 'x')

/** The flags every e2e test and the benchmark launch Debian's Chromium with. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export type TRunningServer = Awaited<ReturnType<typeof startServer>>

export interface TE2e {
  server: TRunningServer
  browser: Browser
}

/**
 * Starts the real server in-process on a throwaway embedded database, serving the built app,
 * and launches Chromium. `env` adds server settings.
 */
export async function startE2e(env: Record<string, string> = {}): Promise<TE2e> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`No built app in ${WEB_DIST}: run \`vite build\` first (pnpm test does).`)
  }
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  console.log(`screenshots: ${SCREENSHOT_DIR}`)
  const server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET,
      FMS_DATA_DIR: 'memory://',
      FMS_WEB_DIST: WEB_DIST,
      ...env,
    }),
  )
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
  return { server, browser }
}

export async function stopE2e(e2e: Partial<TE2e> | undefined) {
  await e2e?.browser?.close()
  await e2e?.server?.close()
}

/**
 * A fresh browser context (no shared session) on the app. Requests that leave the server
 * (map tiles) are refused, as on a machine without internet; page errors are collected.
 */
export async function openApp(
  e2e: TE2e,
  path = '/',
): Promise<{ page: Page; context: BrowserContext; pageErrors: Error[] }> {
  const context = await e2e.browser.newContext({
    viewport: { width: 1280, height: 800 },
    permissions: ['clipboard-read', 'clipboard-write'],
  })
  await context.route(
    (url) => url.origin !== new URL(e2e.server.url).origin,
    (route) => route.abort(),
  )
  const page = await context.newPage()
  const pageErrors: Error[] = []
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.goto(new URL(path, e2e.server.url).href)
  return { page, context, pageErrors }
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true })
}

export function createApiClient(serverUrl: string, accessToken?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: new URL('/trpc', serverUrl).href,
        transformer: superjson,
        headers: () => (accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
      }),
    ],
  })
}

let emailCount = 0

export function uniqueEmail(name = 'dispatcher'): string {
  emailCount += 1
  return `${name}-${emailCount}-${Date.now()}@example.com`
}
