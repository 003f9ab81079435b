import { fileURLToPath } from 'node:url'
import { loadConfig, startServer } from '@fms/server'
import { launchChromium, TEST_JWT_SECRET } from '@fms/testkit'

/** The built web app (`pnpm bench:web` builds it first). */
export const WEB_DIST = fileURLToPath(new URL('../../apps/web/dist', import.meta.url))
/** Where the benchmark leaves its screenshot, beside the e2e tests' ones. */
export const SCREENSHOT_DIR = fileURLToPath(
  new URL('../../apps/web/test-results/screenshots', import.meta.url),
)

/**
 * The server in-process (the seeding writes straight into its database) with no ingestion rate
 * limit (one token posts for the whole fleet), on the embedded database unless `DATABASE_URL`
 * names a PostgreSQL; and Chromium.
 */
export async function startBenchServer() {
  const server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: TEST_JWT_SECRET,
      FMS_DATA_DIR: 'memory://',
      FMS_WEB_DIST: WEB_DIST,
      INGEST_RATE_LIMIT: '0',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    }),
  )
  const browser = await launchChromium()
  return {
    server,
    browser,
    async stop() {
      await browser.close()
      await server.close()
    },
  }
}
