import { setTimeout as sleep } from 'node:timers/promises'
import { createTestDb } from '@fms/db/testing'
import type { Fleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { loadTestEnv, startFleetLoad, statusOf } from './testing/ingest-load.ts'
import { attemptsWithin, type Load, unacknowledged } from './testing/load.ts'
import { checkStored } from './testing/oracle.ts'
import { isPostgresReady, startPostgres, stopPostgres } from './testing/pg-cluster.ts'
import { startTestServer } from './testing/server.ts'

// The PostgreSQL server itself stopped under ingestion load, then started again. This stops
// the shared cluster, so it runs alone (the `pg-stop` vitest project) and always restarts it.
// The load keeps running through the restart: clients retry what was refused until it is stored.
const DOWN_MS = 10_000
let scratch: Awaited<ReturnType<typeof createTestDb>>
let server: RunningServer
let fleet: Fleet
let load: Load
let stoppedAt = 0
let startingAt = 0
let startedAt = 0
const duringOutage: { readyz: number[]; livez: number[] } = { readyz: [], livez: [] }

beforeAll(async () => {
  scratch = await createTestDb('postgres')
  server = await startTestServer(loadTestEnv(scratch.url!))
  ;({ fleet, load } = await startFleetLoad(server.url))
  try {
    await sleep(1500)
    await stopPostgres()
    stoppedAt = Date.now()
    while (Date.now() - stoppedAt < DOWN_MS) {
      duringOutage.readyz.push(await statusOf(`${server.url}/readyz`))
      duringOutage.livez.push(await statusOf(`${server.url}/livez`))
      await sleep(1000)
    }
    startingAt = Date.now()
  } finally {
    await startPostgres()
  }
  startedAt = Date.now()
  // Concurrent clients through the restart, each retrying until its batches are stored.
  await sleep(2000)
  await load.stop(45_000)
}, 120_000)

afterAll(async () => {
  // Whatever happened above, leave PostgreSQL running for whatever runs next.
  await startPostgres()
  await server?.close()
  await scratch?.close()
}, 120_000)

describe('PostgreSQL stopped under load', () => {
  it('answers only fast 503s with Retry-After while it is down, never a 2xx', () => {
    const down = attemptsWithin(load, stoppedAt, startingAt)
    expect(down.length).toBeGreaterThan(10)
    for (const attempt of down) {
      expect(attempt).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) })
      expect(attempt.endedAt - attempt.startedAt).toBeLessThan(2000)
    }
  })

  it('answers /readyz 503 and /livez 200 while it is down', () => {
    expect(new Set(duringOutage.readyz)).toEqual(new Set([503]))
    expect(new Set(duringOutage.livez)).toEqual(new Set([200]))
  })

  it('never hangs: every request of the run is answered with 200 or 503', () => {
    expect(load.attempts.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([])
  })

  it('recovers without a restart: every refused batch is stored once PostgreSQL is back', () => {
    expect(unacknowledged(load)).toEqual([])
    const afterRestart = load.attempts.filter((a) => a.status === 200 && a.startedAt > startedAt)
    expect(afterRestart.length).toBeGreaterThan(0)
  })

  it('keeps every acknowledged point, stores each once and nothing unexpected', async () => {
    expect(await isPostgresReady()).toBe(true)
    const check = await checkStored(scratch.db, fleet.deviceIds, load.batches)
    expect(check).toMatchObject({ lostAcknowledged: [], storedTwice: [], unexpected: [] })
    expect(check.storedCount).toBe(check.sentCount)
  })

  it('is ready again without a restart', { timeout: 40_000 }, async () => {
    await expect
      .poll(() => statusOf(`${server.url}/readyz`), { timeout: 30_000, interval: 250 })
      .toBe(200)
  })
})
