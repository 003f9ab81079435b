import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { launchChromium, type SpawnedServer, spawnServer } from '@fms/testkit'
import type { Browser, BrowserContext, Page } from 'playwright-core'

export const WEB_DIST = fileURLToPath(new URL('../../dist', import.meta.url))
export const SCREENSHOT_DIR = fileURLToPath(
  new URL('../../test-results/screenshots', import.meta.url),
)

export interface TE2e {
  server: SpawnedServer
  browser: Browser
}

/**
 * Starts the real server as its own process on a throwaway embedded database, serving the built
 * app, and launches Chromium. `env` adds server settings.
 */
export async function startE2e(env: Record<string, string> = {}): Promise<TE2e> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`No built app in ${WEB_DIST}: run \`vite build\` first (pnpm test does).`)
  }
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  console.log(`screenshots: ${SCREENSHOT_DIR}`)
  const server = await spawnServer({ env: { FMS_WEB_DIST: WEB_DIST, ...env } })
  try {
    return { server, browser: await launchChromium() }
  } catch (error) {
    await server.stop()
    throw error
  }
}

export async function stopE2e(e2e: Partial<TE2e> | undefined) {
  await e2e?.browser?.close()
  await e2e?.server?.stop()
}

/** A phone's screen: 390 × 844 CSS px at 3× density, touch, mobile viewport rules. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 3,
} as const

/** The screen the other e2e tests run on. */
export const DESKTOP = { viewport: { width: 1280, height: 800 } } as const

/**
 * A fresh browser context (no shared session) on the app. Requests that leave the server
 * (map tiles) are refused, as on a machine without internet; page errors are collected.
 * `timezoneId` sets the browser's time zone (default: the machine's); `device` the screen
 * (default: `DESKTOP`).
 */
export async function openApp(
  e2e: TE2e,
  path = '/',
  options: {
    timezoneId?: string
    device?: typeof PHONE | typeof DESKTOP
    /** Other origins the browser may reach (an identity provider started by the test). */
    allowOrigins?: readonly string[]
  } = {},
): Promise<{ page: Page; context: BrowserContext; pageErrors: Error[] }> {
  const context = await e2e.browser.newContext({
    ...(options.device ?? DESKTOP),
    permissions: ['clipboard-read', 'clipboard-write'],
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  })
  const allowed = new Set([new URL(e2e.server.url).origin, ...(options.allowOrigins ?? [])])
  await context.route(
    (url) => !allowed.has(url.origin),
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
