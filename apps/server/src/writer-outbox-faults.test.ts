import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { readOutbox } from '@fms/db/queries/rule-shards'
import { ruleOutbox, telemetry } from '@fms/db/schema'
import { createPostgresSink, type TelemetryInsert, TelemetryWriter } from '@fms/db/telemetry'
import { createTestDb } from '@fms/db/testing'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The writer's rules-on fast path (BEGIN + COPY, outbox rows, COMMIT as plain statements) while
// its connections are killed at random moments on the real PostgreSQL: every batch it reports
// stored is stored and named by exactly one outbox row, and nothing else is.
let scratch: Awaited<ReturnType<typeof createTestDb>>

beforeAll(async () => {
  scratch = await createTestDb('postgres')
})
afterAll(() => scratch?.close())

const ORG = randomUUID()

function batch(vehicleId: string, deviceId: string, index: number): TelemetryInsert[] {
  const start = Date.UTC(2026, 0, 1) + index * 10_000
  return Array.from({ length: 10 }, (_, i) => ({
    time: start + i * 1000,
    orgId: ORG,
    deviceId,
    vehicleId,
    lat: 52.5,
    lon: 13.4,
    speed: 30 + i,
  }))
}

describe('the rules outbox with the writer connection killed mid-batch', () => {
  it('acknowledges only stored batches, each named once in the outbox', async () => {
    const url = scratch.url as string
    const writer = new TelemetryWriter(createPostgresSink(url, { hasRuleOutbox: true }), {
      writeTimeoutMs: 10_000,
    })
    const killer = postgres(url, { max: 1, onnotice: () => {} })
    const kill = () => killer`
      select pg_terminate_backend(pid) as ok from pg_stat_activity
      where application_name = 'fms-writer' and datname = current_database()`
    const vehicles = Array.from({ length: 4 }, () => ({ v: randomUUID(), d: randomUUID() }))
    let kills = 0
    let failures = 0
    const sent: TelemetryInsert[] = []
    for (let index = 0; index < 60; index++) {
      const { v, d } = vehicles[index % vehicles.length] as { v: string; d: string }
      const rows = batch(v, d, index)
      sent.push(...rows)
      // Every third batch has its connection killed a random moment into it: before, during or
      // after the COPY, the outbox insert or the commit. A refused batch is retried, as a device
      // would, and its retry may find it stored.
      const killing =
        index % 3 === 0
          ? sleep(Math.random() * 8).then(async () => {
              kills += (await kill()).length
            })
          : Promise.resolve()
      for (;;) {
        try {
          const result = await writer.write(rows)
          expect(result.accepted + result.duplicates).toBe(rows.length)
          break
        } catch {
          failures++
          await sleep(50)
        }
      }
      await killing
    }
    await killer.end()
    await writer.close()

    const stored = await scratch.db.select({ time: telemetry.time }).from(telemetry)
    expect(stored).toHaveLength(sent.length)
    const named: number[] = []
    const shards = await scratch.db.selectDistinct({ shard: ruleOutbox.shard }).from(ruleOutbox)
    const list = shards.map((s) => s.shard)
    for (const row of await readOutbox(scratch.db, { shards: list, limit: 10_000 })) {
      named.push(...row.points.map((p) => p.time))
    }
    expect(named.sort((a, b) => a - b)).toEqual(sent.map((r) => r.time).sort((a, b) => a - b))
    // The faults happened: connections were killed and batches refused.
    expect(kills).toBeGreaterThan(0)
    expect(failures).toBeGreaterThan(0)
  }, 120_000)
})
