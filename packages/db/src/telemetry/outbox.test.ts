import { randomUUID } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsOf } from '../queries/rows.ts'
import { readOutbox as readShard } from '../queries/rule-shards.ts'
import { RULE_SHARDS, ruleOutbox, shardLeases, shardOfVehicle, telemetry } from '../schema/index.ts'
import { createTestDb, type TestDbHandle, testDbKind } from '../testing.ts'
import { asStoredFloat4, CommittedBatches } from './committed.ts'
import type { OutboxPoint } from './outbox.ts'
import type { TelemetryInsert } from './rows.ts'
import { createPgliteSink, createPostgresSink, type TelemetrySink } from './sinks.ts'
import { TelemetryWriter } from './writer.ts'

let handle: TestDbHandle
const sinks: TelemetrySink[] = []
const ORG = randomUUID()

beforeAll(async () => {
  handle = await createTestDb()
})
afterAll(async () => {
  await Promise.all(sinks.map((s) => s.close()))
  await handle?.close()
})

/** A writer whose sink adds the outbox rows (closing the writer closes its sink). */
function createWriter(committed?: CommittedBatches): TelemetryWriter {
  const options = { hasRuleOutbox: true, committed }
  const sink = handle.url
    ? createPostgresSink(handle.url, options)
    : createPgliteSink(handle.pglite!, options)
  sinks.push(sink)
  return new TelemetryWriter(sink)
}

function points(vehicleId: string | null, count: number, start: number): TelemetryInsert[] {
  const deviceId = randomUUID()
  return Array.from({ length: count }, (_, i) => ({
    time: start + i * 1000,
    orgId: ORG,
    deviceId,
    vehicleId,
    lat: 52.5 + i / 1e4,
    lon: 13.4,
    speed: 40 + i,
    ignition: i % 2 === 0,
    status: 'ok',
  }))
}

/** Every outbox row with its points, as the rules engine reads them; then empties the outbox. */
async function readOutbox(): Promise<{ shard: number; points: OutboxPoint[] }[]> {
  const shards = await handle.db.selectDistinct({ shard: ruleOutbox.shard }).from(ruleOutbox)
  const rows = await readShard(handle.db, { shards: shards.map((s) => s.shard), limit: 1000 })
  await handle.db.delete(ruleOutbox)
  return rows.sort((a, b) => a.id - b.id).map((r) => ({ shard: r.shard, points: r.points }))
}

describe(`the rules outbox (${testDbKind()})`, () => {
  it('starts with a lease row for every shard', async () => {
    const leases = await handle.db.select().from(shardLeases)
    expect(leases.map((l) => l.shard).sort((a, b) => a - b)).toEqual(
      Array.from({ length: RULE_SHARDS }, (_, i) => i),
    )
  })

  it("holds every committed point with a vehicle, in its vehicle's shard and time order", async () => {
    const writer = createWriter()
    const start = Date.UTC(2026, 0, 1)
    const [a, b] = [randomUUID(), randomUUID()]
    const rowsA = points(a, 5, start)
    const rowsB = points(b, 3, start)
    // Written in reverse order: the outbox orders each shard's points by time.
    await writer.write([...rowsA.slice().reverse(), ...rowsB, ...points(null, 2, start)])
    const outbox = await readOutbox()
    const all = outbox.flatMap((row) => row.points.map((p) => ({ shard: row.shard, ...p })))
    expect(all).toHaveLength(8)
    for (const point of all) expect(point.shard).toBe(shardOfVehicle(point.vehicleId))
    const ofA = all.filter((p) => p.vehicleId === a)
    expect(ofA.map((p) => p.time)).toEqual(rowsA.map((r) => r.time))
    expect(ofA[0]).toEqual({
      shard: shardOfVehicle(a),
      orgId: ORG,
      vehicleId: a,
      time: start,
      lat: 52.5,
      lon: 13.4,
      speed: 40,
      ignition: true,
    })
    await writer.close()
  })

  it('leaves out points that were already stored (a re-sent batch)', async () => {
    const writer = createWriter()
    const vehicle = randomUUID()
    const first = points(vehicle, 4, Date.UTC(2026, 0, 2))
    await writer.write(first)
    await readOutbox()
    const extra = { ...first[0]!, time: first[0]!.time + 500 }
    const result = await writer.write([...first, extra])
    expect(result).toEqual({ accepted: 1, duplicates: 4 })
    const outbox = await readOutbox()
    expect(outbox.flatMap((r) => r.points.map((p) => p.time))).toEqual([extra.time])
    await writer.close()
  })

  it('carries the values as stored (a `real` reading as the table rounds it)', async () => {
    const writer = createWriter()
    const vehicle = randomUUID()
    const [row] = points(vehicle, 1, Date.UTC(2026, 0, 3))
    await writer.write([{ ...row!, fuel: 33.333333333, coolantTemp: 90.123456789 }])
    const [stored] = await handle.db
      .select({ fuel: telemetry.fuel, coolantTemp: telemetry.coolantTemp })
      .from(telemetry)
      .where(eq(telemetry.vehicleId, vehicle))
    const [point] = (await readOutbox()).flatMap((r) => r.points)
    expect(stored?.fuel).not.toBe(33.333333333)
    expect(point).toMatchObject(stored ?? {})
    await writer.close()
  })

  it('names only its own batch: points of another batch in the same span are not in it', async () => {
    const writer = createWriter()
    const vehicle = randomUUID()
    const start = Date.UTC(2026, 0, 4)
    const rows = points(vehicle, 6, start)
    // Two batches interleaved in time: each outbox row gets exactly its own three points.
    await writer.write([rows[0]!, rows[2]!, rows[4]!])
    await writer.write([rows[1]!, rows[3]!, rows[5]!])
    const outbox = await readOutbox()
    expect(outbox.map((r) => r.points.map((p) => p.time))).toEqual([
      [rows[0]!.time, rows[2]!.time, rows[4]!.time],
      [rows[1]!.time, rows[3]!.time, rows[5]!.time],
    ])
    await writer.close()
  })

  it('answers the same points from the batches kept in memory as from reading them back', async () => {
    const committed = new CommittedBatches({ maxPoints: 10_000 })
    const writer = createWriter(committed)
    const start = Date.UTC(2026, 0, 5)
    // Readings with many decimals: the float4 ones must come out as the table rounds them.
    let seed = 7
    const random = () => {
      seed = (seed * 16807) % 2147483647
      return seed / 2147483647
    }
    const vehicles = Array.from({ length: 6 }, () => randomUUID())
    const rows = vehicles.flatMap((vehicle) =>
      points(vehicle, 40, start).map((row) => ({
        ...row,
        lat: 48 + random(),
        speed: random() * 180,
        heading: random() * 360,
        fuel: random() * 100,
        coolantTemp: 60 + random() * 50,
        rpm: Math.round(random() * 6000),
        odometer: random() * 1e6,
      })),
    )
    await writer.write([...rows, ...points(null, 3, start)])
    await writer.close()
    // The COPY path keeps the batch by its transaction; PGlite has none and keeps nothing.
    expect(committed.size).toBe(handle.url ? rows.length : 0)
    if (committed.size === 0) {
      const [{ xid } = { xid: 0 }] = await handle.db
        .selectDistinct({ xid: telemetry.ingestXid })
        .from(telemetry)
        .where(eq(telemetry.vehicleId, vehicles[0]!))
      committed.add(Number(xid), rows)
    }
    const shards = [...new Set(vehicles.map(shardOfVehicle))]
    const readBack = await readShard(handle.db, { shards, limit: 1000 })
    const kept = await readShard(handle.db, { shards, limit: 1000, committed })
    expect(committed.size).toBe(0)
    expect(kept.flatMap((r) => r.points)).toHaveLength(rows.length)
    expect(kept).toEqual(readBack)
    await handle.db.delete(ruleOutbox)
  })

  it('keeps only the newest batches within its bound, and only the shards it wants', () => {
    const committed = new CommittedBatches({ maxPoints: 10, wants: (shard) => shard !== 0 })
    const vehicle = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaa01'
    const other = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaa40' // shard 0: not wanted
    committed.add(1, points(vehicle, 6, 0))
    committed.add(2, [...points(vehicle, 6, 10_000), ...points(other, 6, 10_000)])
    expect(committed.size).toBe(6)
    expect(committed.take(1, [vehicle, ORG, 0, 5000])).toBeUndefined()
    expect(committed.take(2, [other, ORG, 10_000, 15_000])).toBeUndefined()
    expect(committed.take(2, [vehicle, ORG, 10_000, 12_000])?.map((p) => p.time)).toEqual([
      10_000, 11_000, 12_000,
    ])
    expect(committed.size).toBe(0)
  })

  it('rounds a float4 reading as PostgreSQL stores and prints it', async () => {
    let seed = 11
    const values = Array.from({ length: 300 }, (_, i) => {
      seed = (seed * 16807) % 2147483647
      const scale = 10 ** ((i % 9) - 3)
      return ((seed / 2147483647) * 2 - 1) * scale
    })
    values.push(0, 80.1, 33.333333333, 1e-7, 16777217, 0.1 + 0.2)
    const result = await handle.db.execute(
      sql`select unnest(${`{${values.join(',')}}`}::float8[])::float4 as value`,
    )
    const stored = rowsOf<{ value: number | string }>(result).map((row) => Number(row.value))
    expect(values.map(asStoredFloat4)).toEqual(stored)
  })
})
