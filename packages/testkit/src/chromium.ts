import { type Browser, chromium } from 'playwright-core'

/**
 * The flags Debian's Chromium runs with in tests and benchmarks: headless, no sandbox (root),
 * and none of the background connections a machine without internet refuses.
 */
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

/** The browser at `CHROMIUM_PATH` (default `/usr/bin/chromium`); `npx playwright install` can't run here. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
}
