import { postTelemetry } from '../e2e/support/telemetry'
import { seedFleet, stepFleet } from './fleet-seed'
import { openSignedIn } from './page-metrics'
import { startBenchServer } from './server'

const { server, browser, stop } = await startBenchServer()
let driving = true
try {
  const { session, secret, fleet } = await seedFleet(server, 5000)
  const tick = async () => {
    const pts = stepFleet(fleet, Date.now())
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        postTelemetry(server.url, secret, pts.slice(i * 1000, i * 1000 + 1000)),
      ),
    )
  }
  await tick()
  const loop = (async () => {
    while (driving) {
      const t = Date.now()
      await tick()
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t))))
    }
  })()
  const page = await openSignedIn(browser, server.url, session)
  await page.getByText('5,000 vehicles').waitFor({ timeout: 60000 })
  await page.evaluate(
    'window.__draws = []; window.__applies = []; window.__lt = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push(Math.round(e.duration)) }).observe({type: "longtask"})',
  )
  await new Promise((r) => setTimeout(r, 8000))
  console.log('draws', await page.evaluate('JSON.stringify(window.__draws.map(Math.round))'))
  console.log(
    'applies',
    await page.evaluate('JSON.stringify(window.__applies.map(([n, t]) => [n, Math.round(t)]))'),
  )
  console.log('longtasks', await page.evaluate('JSON.stringify(window.__lt)'))
  driving = false
  await loop
} finally {
  driving = false
  await stop()
}
