import type { Browser, Page } from 'playwright-core'

export interface TPageMetrics {
  fps: number
  worstSecondFps: number
  longestFrameMs: number
  longTasks: number
  longTaskTotalMs: number
  longTaskMaxMs: number
}

/** A page on the app, signed in with `session` (tokens as `auth.register` returns them). */
export async function openSignedIn(
  browser: Browser,
  serverUrl: string,
  session: { accessToken: string; refreshToken: string; accessTokenExpiresAt: Date },
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const origin = new URL(serverUrl).origin
  await context.route(
    (url) => url.origin !== origin,
    (route) => route.abort(),
  )
  await context.addInitScript((stored) => {
    localStorage.setItem('fms.session', stored)
  }, JSON.stringify(session))
  const page = await context.newPage()
  await page.goto(serverUrl)
  return page
}

/**
 * In-page source (a string, so no transpiler helper such as tsx's `__name` leaks into it):
 * counts animation frames and long tasks for `duration` ms, then resolves with the figures.
 */
const MEASURE_SOURCE = `(duration) => new Promise((resolve) => {
  const longTasks = []
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration)
  })
  observer.observe({ type: 'longtask', buffered: false })
  const frames = []
  const started = performance.now()
  const onFrame = (at) => {
    frames.push(at)
    if (at - started < duration) requestAnimationFrame(onFrame)
    else finish()
  }
  requestAnimationFrame(onFrame)
  const round = (value) => Math.round(value * 10) / 10
  function finish() {
    observer.disconnect()
    const elapsed = (frames[frames.length - 1] - frames[0]) / 1000
    const perSecond = new Map()
    let longestFrame = 0
    for (let i = 1; i < frames.length; i++) {
      longestFrame = Math.max(longestFrame, frames[i] - frames[i - 1])
      const second = Math.floor((frames[i] - frames[0]) / 1000)
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1)
    }
    const full = [...perSecond.entries()].filter(([second]) => second < Math.floor(elapsed))
    resolve({
      fps: round((frames.length - 1) / elapsed),
      worstSecondFps: Math.min(...full.map(([, count]) => count)),
      longestFrameMs: round(longestFrame),
      longTasks: longTasks.length,
      longTaskTotalMs: Math.round(longTasks.reduce((a, b) => a + b, 0)),
      longTaskMaxMs: Math.round(Math.max(0, ...longTasks)),
    })
  }
})`

/** Frames per second and long tasks measured inside the page, nothing crossing DevTools meanwhile. */
export async function measurePage(page: Page, durationMs: number): Promise<TPageMetrics> {
  return (await page.evaluate(`(${MEASURE_SOURCE})(${Number(durationMs)})`)) as TPageMetrics
}
