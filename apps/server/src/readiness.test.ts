import { createTestDb } from '@fms/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { startTcpProxy } from './testing/tcp-proxy.ts'

// The real PostgreSQL, reached through a proxy the test can cut: the database "goes away"
// without stopping the shared server.
let scratch: Awaited<ReturnType<typeof createTestDb>>
let proxy: Awaited<ReturnType<typeof startTcpProxy>>
let server: RunningServer
let databaseName: string

beforeAll(async () => {
  scratch = await createTestDb('postgres')
  const [row] = await scratch.sql!`select current_database() as name`
  databaseName = String(row?.name)
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 })
  server = await startTestServer({
    DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/${databaseName}`,
  })
})
afterAll(async () => {
  await server?.close()
  await proxy?.close()
  await scratch?.close()
})

async function status(path: string): Promise<number> {
  return (await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(5000) })).status
}

describe('readiness follows the database', () => {
  it('is ready on PostgreSQL', async () => {
    expect(await status('/readyz')).toBe(200)
  })

  it('answers /readyz 503 quickly while the database is unreachable, /livez stays 200', async () => {
    await proxy.cut()
    // `status` aborts after 5 s: a hang fails the test.
    expect(await status('/readyz')).toBe(503)
    expect(await status('/livez')).toBe(200)
  })

  it('is ready again when the database returns, without a restart', async () => {
    await proxy.restore()
    await expect.poll(() => status('/readyz'), { timeout: 10_000, interval: 200 }).toBe(200)
  })
})
