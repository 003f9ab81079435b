import { setTimeout as sleep } from 'node:timers/promises'
import { createTestDb } from '@fms/db/testing'
import { type Fleet, makePoints, postTelemetry, provisionFleet, type WirePoint } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { loadTestEnv, startFleetLoad, statusOf } from './testing/ingest-load.ts'
import { attemptsWithin, type Load, unacknowledged } from './testing/load.ts'
import { checkStored } from './testing/oracle.ts'
import { startTestServer } from './testing/server.ts'
import { type SpawnedServer, spawnServer } from './testing/spawn-server.ts'
import { startTcpProxy } from './testing/tcp-proxy.ts'
import { waitUntil } from './testing/wait.ts'

// Ingestion under faults against the real PostgreSQL. The oracle: every acknowledged
// point is in the database, nothing is stored twice, nothing unexpected appears.
let scratch: Awaited<ReturnType<typeof createTestDb>>

beforeAll(async () => {
  scratch = await createTestDb('postgres')
})
afterAll(() => scratch?.close())

describe('the database connection cut mid-load', () => {
  // Longer than the device token cache (DEVICE_TOKEN_CACHE_SEC, 5 s by default): token lookups
  // fail during the cut too, and must answer 503 like the writer.
  const CUT_MS = 7000
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>
  let server: RunningServer
  let fleet: Fleet
  let load: Load
  let cutAt = 0
  let restoredAt = 0
  let readyzDuringCut = 0
  let livezDuringCut = 0

  beforeAll(async () => {
    const url = new URL(scratch.url!)
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) })
    url.port = String(proxy.port)
    server = await startTestServer(loadTestEnv(url.toString()))
    ;({ fleet, load } = await startFleetLoad(server.url))
    try {
      await sleep(1500)
      await proxy.cut()
      cutAt = Date.now()
      await sleep(CUT_MS / 2)
      readyzDuringCut = await statusOf(`${server.url}/readyz`)
      livezDuringCut = await statusOf(`${server.url}/livez`)
      await sleep(CUT_MS / 2)
      restoredAt = Date.now()
      await proxy.restore()
      await sleep(1500)
    } finally {
      await load.stop(20_000)
    }
  }, 60_000)
  afterAll(async () => {
    await server?.close()
    await proxy?.close()
  })

  it('answers 503 with Retry-After, fast, while the database is unreachable', () => {
    const duringCut = attemptsWithin(load, cutAt, restoredAt)
    expect(duringCut.length).toBeGreaterThan(0)
    for (const attempt of duringCut) {
      expect(attempt).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) })
      expect(attempt.endedAt - attempt.startedAt).toBeLessThan(2000)
    }
  })

  it('answers /readyz 503 and /livez 200 during the outage', () => {
    expect(readyzDuringCut).toBe(503)
    expect(livezDuringCut).toBe(200)
  })

  it('answers only 200 or 503, never hangs', () => {
    expect(load.attempts.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([])
  })

  it('acknowledges only points that are in the database, each stored once', async () => {
    const check = await checkStored(scratch.db, fleet.deviceIds, load.batches)
    expect(check.lostAcknowledged).toEqual([])
    expect(check.storedTwice).toEqual([])
    expect(check.unexpected).toEqual([])
  })

  it('stores every batch once the retrying clients get through', async () => {
    expect(unacknowledged(load)).toEqual([])
    const check = await checkStored(scratch.db, fleet.deviceIds, load.batches)
    expect(check.storedCount).toBe(check.sentCount)
    // A batch acknowledged at the first try is all new; later tries may find it committed.
    for (const attempt of load.attempts.filter((a) => a.status === 200)) {
      expect(attempt.result!.accepted + attempt.result!.duplicates).toBe(50)
      expect(attempt.result!.rejected).toEqual([])
    }
  })

  it('is ready again after the outage without a restart', { timeout: 40_000 }, async () => {
    await expect
      .poll(() => statusOf(`${server.url}/readyz`), { timeout: 30_000, interval: 200 })
      .toBe(200)
  })
})

describe('the server SIGKILLed with requests in flight', () => {
  const CLIENTS = 8
  const BATCH = 50
  let fleet: Fleet
  interface Sent {
    points: WirePoint[]
    status: number
  }
  const sent: Sent[] = []

  /** Posts fresh batches from `CLIENTS` loops until the server stops answering. */
  async function postUntilDead(server: SpawnedServer): Promise<void> {
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        const deviceId = fleet.deviceIds[client % fleet.deviceIds.length]!
        for (let i = 0; i < 10_000; i++) {
          const entry: Sent = { points: makePoints(deviceId, BATCH), status: 0 }
          sent.push(entry)
          try {
            const answer = await postTelemetry(server.url, {
              token: fleet.token.secret,
              body: entry.points,
              timeoutMs: 5000,
            })
            entry.status = answer.status
          } catch {
            return // killed: this request was in flight and got no answer
          }
        }
      }),
    )
  }

  async function killMidLoad(server: SpawnedServer): Promise<void> {
    const posting = postUntilDead(server)
    const acknowledgedBefore = sent.filter((s) => s.status === 200).length
    await waitUntil(() => sent.filter((s) => s.status === 200).length >= acknowledgedBefore + 20, {
      timeoutMs: 10_000,
      intervalMs: 10,
      what: '20 acknowledged batches',
    })
    server.child.kill('SIGKILL')
    expect(await server.exited).toBe('SIGKILL')
    await posting
  }

  const env = () => loadTestEnv(scratch.url!)

  beforeAll(async () => {
    const first = await spawnServer(env())
    fleet = await provisionFleet(first.url, { vehicles: 4 })
    await killMidLoad(first)
    const second = await spawnServer(env())
    await killMidLoad(second)
  }, 60_000)

  it('was killed with requests in flight', () => {
    expect(sent.filter((s) => s.status === 0).length).toBeGreaterThan(0)
    expect(sent.every((s) => s.status === 0 || s.status === 200)).toBe(true)
  })

  it('keeps every point acknowledged with 200 before the kill', async () => {
    const batches = sent.map((s, id) => ({
      id,
      points: s.points,
      isAcknowledged: s.status === 200,
    }))
    const check = await checkStored(scratch.db, fleet.deviceIds, batches)
    expect(check.lostAcknowledged).toEqual([])
    expect(check.storedTwice).toEqual([])
    expect(check.unexpected).toEqual([])
  })

  it('stores everything exactly once when clients retry the unanswered after a restart', async () => {
    const server = await spawnServer(env())
    try {
      for (const entry of sent.filter((s) => s.status !== 200)) {
        const answer = await postTelemetry(server.url, {
          token: fleet.token.secret,
          body: entry.points,
        })
        expect(answer.status).toBe(200)
        entry.status = answer.status
      }
    } finally {
      server.child.kill('SIGTERM')
      await server.exited
    }
    const batches = sent.map((s, id) => ({ id, points: s.points, isAcknowledged: true }))
    const check = await checkStored(scratch.db, fleet.deviceIds, batches)
    expect(check).toMatchObject({ lostAcknowledged: [], storedTwice: [], unexpected: [] })
    expect(check.storedCount).toBe(check.sentCount)
  })
})
