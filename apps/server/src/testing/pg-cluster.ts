import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { waitUntil } from './wait.ts'

/**
 * The local PostgreSQL cluster the tests use (Debian `pg_ctlcluster`, run as root). Stopping it
 * breaks every other database test, so only a test that runs alone may use this.
 */
const CLUSTER = ['15', 'main'] as const
const run = promisify(execFile)

function pgCtlCluster(action: 'start' | 'stop') {
  return run('pg_ctlcluster', ['--skip-systemctl-redirect', ...CLUSTER, action], {
    timeout: 60_000,
  })
}

export async function isPostgresReady(): Promise<boolean> {
  return run('pg_isready', ['-h', '127.0.0.1', '-t', '2']).then(
    () => true,
    () => false,
  )
}

/** Stops the cluster (fast mode: sessions are ended) and resolves once it is down. */
export async function stopPostgres(): Promise<void> {
  await pgCtlCluster('stop')
}

/** Starts the cluster unless it answers already, and resolves once it accepts connections. */
export async function startPostgres(): Promise<void> {
  if (!(await isPostgresReady())) {
    await pgCtlCluster('start').catch(async (error: unknown) => {
      // "already running" is fine; anything else is, unless the server answers anyway.
      if (!(await isPostgresReady())) throw error
    })
  }
  await waitUntil(isPostgresReady, { timeoutMs: 60_000, intervalMs: 200, what: 'pg_isready' })
}
