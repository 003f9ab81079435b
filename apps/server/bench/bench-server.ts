import { randomBytes } from 'node:crypto'
import { spawnServer } from '../src/testing/spawn-server.ts'
import { createScratchDatabase } from './scratch-db.ts'

/**
 * The real server in its own process, in production mode, on a fresh scratch PostgreSQL database
 * named after `prefix`, without the ingest rate limit; `env` adds to that. `stop(signal)` ends the
 * server with `signal` and drops the database.
 */
export async function startBenchServer(prefix: string, env: Record<string, string>) {
  const scratch = await createScratchDatabase(prefix)
  const metricsToken = randomBytes(32).toString('hex')
  const server = await spawnServer({
    NODE_ENV: 'production',
    // Production refuses the test secrets: fresh random ones for this run.
    JWT_SECRET: randomBytes(32).toString('hex'),
    METRICS_TOKEN: metricsToken,
    DATABASE_URL: scratch.url,
    INGEST_RATE_LIMIT: '0',
    ...env,
  })
  return {
    url: server.url,
    databaseUrl: scratch.url,
    pid: server.child.pid,
    /** The server's Prometheus text (`/metrics`). */
    async metrics(): Promise<string> {
      const res = await fetch(`${server.url}/metrics`, {
        headers: { authorization: `Bearer ${metricsToken}` },
      })
      return res.text()
    },
    async stop(signal: 'SIGTERM' | 'SIGKILL') {
      server.child.kill(signal)
      await server.exited
      await scratch.drop()
    },
  }
}
