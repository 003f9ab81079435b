/**
 * `pnpm bench:web`: the live map in Chromium with a simulated fleet updating every second.
 *
 * Starts the server in-process (embedded database; `DATABASE_URL` to use PostgreSQL), seeds an
 * organization with N vehicles (one device each, one token), posts every vehicle's position once
 * a second in batches, opens the live map signed in, and measures in the page: frames per second
 * (requestAnimationFrame) and long tasks (PerformanceObserver 'longtask', tasks over 50 ms).
 * Flags: --vehicles N --seconds S --batch N --json
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { postPoints } from '@fms/testkit'
import { seedFleet, stepFleet } from './fleet-seed'
import { measurePage, openSignedIn } from './page-metrics'
import { SCREENSHOT_DIR, startBenchServer } from './server'

const { values: args } = parseArgs({
  // `pnpm bench:x -- --flag` hands the script a literal `--`: not a positional argument.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    vehicles: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '15' },
    batch: { type: 'string', default: '1000' },
    json: { type: 'boolean', default: false },
  },
})
const VEHICLES = Number(args.vehicles)
const SECONDS = Number(args.seconds)
const BATCH = Number(args.batch)
const TARGET_FPS = 30
const LONG_TASK_LIMIT_MS = 200
const log = (message: string) => process.stderr.write(`${message}\n`)

async function runBenchmark() {
  const { server, browser, stop } = await startBenchServer()
  let isDriving = true
  const ingest = { posted: 0, failed: 0, lateTicks: 0 }
  try {
    log(`seeding ${VEHICLES} vehicles`)
    const { session, secret, fleet } = await seedFleet(server, VEHICLES)

    async function postTick() {
      const points = stepFleet(fleet, Date.now())
      const batches = []
      for (let i = 0; i < points.length; i += BATCH) batches.push(points.slice(i, i + BATCH))
      const statuses = await Promise.all(batches.map((b) => postPoints(server.url, secret, b)))
      for (const [i, status] of statuses.entries()) {
        if (status === 200) ingest.posted += batches[i]!.length
        else ingest.failed += 1
      }
    }
    await postTick()
    const driving = (async () => {
      let next = Date.now() + 1000
      while (isDriving) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())))
        await postTick()
        next += 1000
        if (Date.now() > next) ingest.lateTicks += 1
      }
    })()

    log('opening the live map')
    const page = await openSignedIn(browser, server.url, session)
    await page
      .getByText(`${VEHICLES.toLocaleString('en-US')} vehicles`)
      .waitFor({ timeout: 60_000 })
    const socketStats = { frames: 0, bytes: 0, updates: 0 }
    const client = await page.context().newCDPSession(page)
    await client.send('Network.enable')
    client.on('Network.webSocketFrameReceived', (event) => {
      socketStats.frames += 1
      socketStats.bytes += Buffer.byteLength(event.response.payloadData)
      socketStats.updates += countUpdates(event.response.payloadData)
    })
    log(`measuring for ${SECONDS} s`)
    const postedBefore = ingest.posted
    const metrics = await measurePage(page, SECONDS * 1000)
    const drawn = Number(await page.locator('canvas.vehicle-canvas').getAttribute('data-drawn'))
    await mkdir(SCREENSHOT_DIR, { recursive: true })
    const screenshotPath = join(SCREENSHOT_DIR, 'bench-live-map.png')
    await page.screenshot({ path: screenshotPath })
    log(`screenshot: ${screenshotPath}`)
    isDriving = false
    await driving

    const summary = {
      vehicles: VEHICLES,
      drawnMarkers: drawn,
      seconds: SECONDS,
      pointsPerSec: Math.round((ingest.posted - postedBefore) / SECONDS),
      failedRequests: ingest.failed,
      lateTicks: ingest.lateTicks,
      wsFramesPerSec: Math.round((socketStats.frames / SECONDS) * 10) / 10,
      wsKiBPerSec: Math.round(socketStats.bytes / 1024 / SECONDS),
      vehicleUpdatesPerSec: Math.round(socketStats.updates / SECONDS),
      bytesPerUpdate:
        socketStats.updates > 0 ? Math.round(socketStats.bytes / socketStats.updates) : null,
      ...metrics,
      meetsTarget: metrics.fps >= TARGET_FPS && metrics.longTaskMaxMs <= LONG_TASK_LIMIT_MS,
    }
    return summary
  } finally {
    isDriving = false
    await stop()
  }
}

/** Vehicle updates in one WebSocket message: records of a compact frame, or points of a plain one. */
function countUpdates(payload: string): number {
  try {
    const message = JSON.parse(payload) as {
      result?: { data?: { json?: { data?: { p?: string; points?: unknown[] } } } }
    }
    const frame = message.result?.data?.json?.data
    if (typeof frame?.p === 'string') return frame.p === '' ? 0 : frame.p.split(';').length
    return Array.isArray(frame?.points) ? frame.points.length : 0
  } catch {
    return 0
  }
}

/** Printed after the server stopped, so its log lines don't mix into the figures. */
function printSummary(summary: Awaited<ReturnType<typeof runBenchmark>>) {
  if (args.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`)
    return
  }
  process.stdout.write(
    [
      `live map benchmark: ${summary.vehicles} vehicles (${summary.drawnMarkers} drawn), ${summary.pointsPerSec} points/s ingested (${summary.failedRequests} failed requests), ${summary.seconds} s`,
      `browser: ${summary.wsFramesPerSec} live frames/s, ${summary.wsKiBPerSec} KiB/s over the WebSocket, ${summary.vehicleUpdatesPerSec} vehicle updates/s (${summary.bytesPerUpdate ?? '-'} bytes each, everything received counted)`,
      `frames: ${summary.fps} fps (worst second ${summary.worstSecondFps} fps, longest frame ${summary.longestFrameMs} ms)`,
      `long tasks: ${summary.longTasks} (total ${summary.longTaskTotalMs} ms, longest ${summary.longTaskMaxMs} ms)`,
      `target >= ${TARGET_FPS} fps and no long task over ${LONG_TASK_LIMIT_MS} ms: ${summary.meetsTarget ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'),
  )
}

runBenchmark().then(printSummary, (error: unknown) => {
  console.error(error)
  process.exit(1)
})
