import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq, sql } from '../index.ts'
import { activityDirty, telemetry } from '../schema/index.ts'
import { createTestDb, type TestDbHandle, testDbKind } from '../testing.ts'
import type { TelemetryInsert } from './rows.ts'
import { createPgliteSink, createPostgresSink, type TelemetrySink } from './sinks.ts'
import { TelemetryWriter, WriterUnavailableError } from './writer.ts'

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

function createSink(): TelemetrySink {
  const sink = handle.url ? createPostgresSink(handle.url) : createPgliteSink(handle.pglite!)
  sinks.push(sink)
  return sink
}

function points(deviceId: string, count: number, start = Date.UTC(2026, 0, 1)): TelemetryInsert[] {
  return Array.from({ length: count }, (_, i) => ({
    time: start + i * 1000,
    orgId: ORG,
    deviceId,
    vehicleId: null,
    lat: 52.5 + i / 1e4,
    lon: 13.4,
    speed: i % 120,
    ignition: true,
  }))
}

async function countRows(deviceId: string): Promise<number> {
  const rows = await handle.db
    .select({ n: sql<number>`count(*)::int` })
    .from(telemetry)
    .where(eq(telemetry.deviceId, deviceId))
  return rows[0]?.n ?? 0
}

async function findMarks(vehicleId: string) {
  const rows = await handle.db.select().from(activityDirty).orderBy(activityDirty.id)
  return rows.flatMap((r) =>
    r.spans
      .filter((s) => s[0] === vehicleId)
      .map((s) => ({ from: Number(s[1]), to: Number(s[2]) })),
  )
}

describe(`telemetry writer (${testDbKind()})`, () => {
  it("marks each vehicle's new time span for the activity rollup, in the same commit", async () => {
    const writer = new TelemetryWriter(createSink())
    const device = randomUUID()
    const vehicleId = randomUUID()
    const start = Date.UTC(2026, 0, 2)
    const rows = points(device, 30, start).map((p) => ({ ...p, vehicleId }))
    // Out of order within the batch: the span is still min..max.
    await writer.write([...rows.slice(10), ...rows.slice(0, 10)])
    expect(await findMarks(vehicleId)).toEqual([{ from: start, to: start + 29_000 }])
    // A batch with duplicates: its marks (from the failed COPY, where there is one, and from the
    // insert path) cover the whole batch.
    const later = points(device, 5, start + 60_000).map((p) => ({ ...p, vehicleId }))
    await writer.write([...rows.slice(0, 3), ...later])
    const marks = await findMarks(vehicleId)
    expect(marks[0]).toEqual({ from: start, to: start + 29_000 })
    expect(marks.length).toBeGreaterThan(1)
    for (const mark of marks.slice(1)) expect(mark).toEqual({ from: start, to: start + 64_000 })
    // Points of devices without a vehicle are not marked (nothing to summarize).
    const before = await handle.db.select({ n: sql<number>`count(*)::int` }).from(activityDirty)
    await writer.write(points(randomUUID(), 5))
    const after = await handle.db.select({ n: sql<number>`count(*)::int` }).from(activityDirty)
    expect(after[0]!.n).toBe(before[0]!.n)
    await writer.close()
  })

  it('answers only after the rows are committed', async () => {
    const writer = new TelemetryWriter(createSink())
    const device = randomUUID()
    const result = await writer.write(points(device, 50))
    expect(result).toEqual({ accepted: 50, duplicates: 0 })
    expect(await countRows(device)).toBe(50)
  })

  it('group-commits concurrent writes into fewer batches', async () => {
    const batches: number[] = []
    const writer = new TelemetryWriter(createSink(), {
      concurrency: 1,
      onBatch: ({ rows }) => batches.push(rows),
    })
    const devices = Array.from({ length: 20 }, () => randomUUID())
    const results = await Promise.all(devices.map((d) => writer.write(points(d, 10))))
    expect(results.every((r) => r.accepted === 10)).toBe(true)
    expect(batches.length).toBeLessThan(20)
    expect(batches.reduce((a, b) => a + b, 0)).toBe(200)
  })

  it('stores a re-sent batch once and counts its duplicates', async () => {
    const writer = new TelemetryWriter(createSink())
    const device = randomUUID()
    const batch = points(device, 30)
    await writer.write(batch)
    const again = await writer.write([...batch, ...points(device, 5, Date.UTC(2026, 1, 1))])
    expect(again).toEqual({ accepted: 5, duplicates: 30 })
    expect(await countRows(device)).toBe(35)
  })

  it('credits a point sent by two concurrent writes to exactly one of them', async () => {
    const writer = new TelemetryWriter(createSink(), { concurrency: 1 })
    const device = randomUUID()
    const batch = points(device, 20)
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => writer.write(batch)))
    expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(20)
    expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(80)
    expect(await countRows(device)).toBe(20)
  })

  it('counts a point repeated inside one write as a duplicate', async () => {
    const writer = new TelemetryWriter(createSink())
    const device = randomUUID()
    const [first] = points(device, 1)
    expect(await writer.write([first!, { ...first! }])).toEqual({ accepted: 1, duplicates: 1 })
  })

  it('sends a batch repeating a point straight to the duplicate-tolerant insert', async () => {
    const batches: { rows: number; isFallback: boolean }[] = []
    const writer = new TelemetryWriter(createSink(), {
      onBatch: ({ rows, isFallback }) => batches.push({ rows, isFallback }),
    })
    const device = randomUUID()
    const rows = points(device, 5)
    expect(await writer.write([...rows, { ...rows[2]! }])).toEqual({ accepted: 5, duplicates: 1 })
    expect(await writer.write(points(randomUUID(), 5))).toEqual({ accepted: 5, duplicates: 0 })
    // The first batch could not have been COPYed; the second one was.
    expect(batches).toEqual([
      { rows: 6, isFallback: true },
      { rows: 5, isFallback: false },
    ])
    expect(await countRows(device)).toBe(5)
  })

  it('stores text with tabs, newlines and backslashes literally', async () => {
    const writer = new TelemetryWriter(createSink())
    const device = randomUUID()
    const status = 'a\tb\nc\\d\re'
    await writer.write([{ ...points(device, 1)[0]!, status, swVersion: "1.0'; drop table x;--" }])
    const [row] = await handle.db.select().from(telemetry).where(eq(telemetry.deviceId, device))
    expect(row?.status).toBe(status)
    expect(row?.swVersion).toBe("1.0'; drop table x;--")
  })

  it('refuses writes at once when the queue is full', async () => {
    const slow: TelemetrySink = {
      insertNew: () => new Promise(() => {}),
      ping: async () => {},
      close: async () => {},
    }
    const writer = new TelemetryWriter(slow, {
      maxQueueRows: 100,
      concurrency: 1,
      writeTimeoutMs: 60_000,
    })
    void writer.write(points(randomUUID(), 10)).catch(() => {}) // in flight, never returns
    void writer.write(points(randomUUID(), 90)).catch(() => {}) // queued: the queue is now full
    const error = await writer.write(points(randomUUID(), 20)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WriterUnavailableError)
    expect((error as WriterUnavailableError).reason).toBe('queue_full')
  })

  it('answers a write the database does not commit in time as unavailable', async () => {
    const stuck: TelemetrySink = {
      insertNew: () => new Promise(() => {}),
      ping: async () => {},
      close: async () => {},
    }
    const writer = new TelemetryWriter(stuck, { writeTimeoutMs: 50 })
    const error = await writer.write(points(randomUUID(), 1)).catch((e: unknown) => e)
    expect((error as WriterUnavailableError).reason).toBe('timeout')
  })

  it('commits everything accepted before close', async () => {
    const writer = new TelemetryWriter(createSink())
    const device = randomUUID()
    const writes = [0, 1, 2, 3].map((i) =>
      writer.write(points(device, 25, Date.UTC(2026, 2, i + 1))),
    )
    await writer.close()
    expect((await Promise.all(writes)).every((r) => r.accepted === 25)).toBe(true)
    expect(await countRows(device)).toBe(100)
    await expect(writer.write(points(device, 1))).rejects.toMatchObject({ reason: 'closing' })
  })
})

describe('telemetry writer with the database unreachable', () => {
  it('refuses writes quickly, then recovers when the database answers again', async () => {
    let isUp = false
    const flaky: TelemetrySink = {
      insertNew: async (rows) => {
        if (!isUp) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
        return new Set(rows.map((r) => `${r.deviceId}@${r.time}`))
      },
      ping: async () => {
        if (!isUp) throw new Error('down')
      },
      close: async () => {},
    }
    const writer = new TelemetryWriter(flaky, { probeIntervalMs: 20 })
    const first = await writer.write(points(randomUUID(), 1)).catch((e: unknown) => e)
    expect((first as WriterUnavailableError).reason).toBe('database_down')
    expect(writer.isAvailable).toBe(false)
    const second = await writer.write(points(randomUUID(), 1)).catch((e: unknown) => e)
    expect((second as WriterUnavailableError).reason).toBe('database_down')
    isUp = true
    await expect.poll(() => writer.isAvailable, { timeout: 2000 }).toBe(true)
    expect(await writer.write(points(randomUUID(), 3))).toEqual({ accepted: 3, duplicates: 0 })
  })
})

describe(`telemetry encoding round trip (${testDbKind()})`, () => {
  it('reads back every field exactly as written', async () => {
    const writer = new TelemetryWriter(createSink())
    const device = randomUUID()
    const vehicle = randomUUID()
    const row: TelemetryInsert = {
      time: Date.UTC(2026, 5, 30, 23, 59, 59, 999),
      orgId: ORG,
      deviceId: device,
      vehicleId: vehicle,
      lat: -33.868820123456,
      lon: 151.20929987654,
      speed: 87.5,
      heading: 359.25,
      altitude: -12.5,
      rpm: 2450,
      fuel: 12.25,
      engineLoad: 66.5,
      coolantTemp: -40,
      odometer: 1234567.891,
      ignition: false,
      status: 'moving ✓',
      swVersion: '2.1.0',
      hwVersion: 'rev B',
      attributes: { batt: 87.5, accuracy: 4, charge: true, note: 'tab\there', gone: null },
    }
    await writer.write([
      row,
      { ...row, time: row.time + 1, lat: undefined, lon: undefined, ignition: undefined },
    ])
    const stored = await handle.db
      .select()
      .from(telemetry)
      .where(eq(telemetry.deviceId, device))
      .orderBy(telemetry.time)
    expect(stored[0]).toMatchObject({
      time: new Date(row.time),
      orgId: ORG,
      deviceId: device,
      vehicleId: vehicle,
      lat: row.lat,
      lon: row.lon,
      speed: 87.5,
      heading: 359.25,
      altitude: -12.5,
      rpm: 2450,
      fuel: 12.25,
      engineLoad: 66.5,
      coolantTemp: -40,
      odometer: row.odometer,
      ignition: false,
      status: 'moving ✓',
      swVersion: '2.1.0',
      hwVersion: 'rev B',
      attributes: { batt: 87.5, accuracy: 4, charge: true, note: 'tab\there', gone: null },
    })
    expect(stored[1]).toMatchObject({ lat: null, lon: null, ignition: null, speed: 87.5 })
  })
})
