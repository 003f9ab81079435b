import { loadConfig, startServer } from '@fms/server'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, JWT_SECRET, WEB_DIST } from '../e2e/support/harness'

/**
 * The server in-process with no ingestion rate limit (one token posts for the whole fleet),
 * on the embedded database unless `DATABASE_URL` names a PostgreSQL; and Chromium.
 */
export async function startBenchServer() {
  const server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET,
      FMS_DATA_DIR: 'memory://',
      FMS_WEB_DIST: WEB_DIST,
      INGEST_RATE_LIMIT: '0',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    }),
  )
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
  return {
    server,
    browser,
    async stop() {
      await browser.close()
      await server.close()
    },
  }
}
