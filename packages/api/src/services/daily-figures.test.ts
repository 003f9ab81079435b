import { randomUUID } from 'node:crypto'
import { sql } from '@fms/db'
import {
  insertTelemetry,
  lockActivityFill,
  lockActivityRefresh,
  sumActivityByPeriod,
} from '@fms/db/queries/activity'
import { writeFoldedActivity } from '@fms/db/queries/activity-fold'
import { rowsOf } from '@fms/db/queries/rows'
import { createTestDb, type TestDbHandle } from '@fms/db/testing'
import { listDays, roundSummary, summarizeDays } from '@fms/engine'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refreshActivity } from './activity.ts'
import { summarizeVehicleDays } from './daily-figures.ts'

let handle: TestDbHandle
beforeAll(async () => {
  handle = await createTestDb()
})
afterAll(() => handle?.close())

/** Berlin leaves summer time on 2026-10-25: that local day lasts 25 hours. */
const ZONE = 'Europe/Berlin'
const DAYS = listDays('2026-10-24', '2026-10-26', ZONE)

async function addVehicle(points: { time: number; lon: number }[]) {
  const orgId = randomUUID()
  const vehicleId = randomUUID()
  const deviceId = randomUUID()
  await insertPoints(orgId, vehicleId, deviceId, points)
  return { orgId, vehicleId, deviceId }
}

async function insertPoints(
  orgId: string,
  vehicleId: string,
  deviceId: string,
  points: { time: number; lon: number }[],
) {
  await insertTelemetry(
    handle.db,
    points.map((p) => ({
      orgId,
      vehicleId,
      deviceId,
      time: new Date(p.time),
      lat: 52.5,
      lon: p.lon,
      speed: 40,
      ignition: true,
    })),
  )
  await refreshActivity(handle.db, { orgId })
}

/** A drive every 2 minutes from 20:00 UTC on the 24th to 04:00 UTC on the 26th, across both midnights and the change. */
function driveAcrossTheChange() {
  const start = Date.UTC(2026, 9, 24, 20)
  return Array.from({ length: 960 }, (_, i) => ({ time: start + i * 120_000, lon: 13 + i * 0.002 }))
}

async function countDayRows(vehicleId: string): Promise<number> {
  const result = await handle.db.execute(
    sql`select count(*)::int as n from vehicle_activity_days where vehicle_id = ${vehicleId}`,
  )
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0
}

const strip = ({ alertCounts: _, ...figures }: ReturnType<typeof roundSummary>) => figures

describe('day rows behind the daily summaries', () => {
  it('store exactly the bucket sums, across a DST change in a non-UTC zone', async () => {
    const points = driveAcrossTheChange()
    const { orgId, vehicleId } = await addVehicle(points)
    expect(DAYS[1]!.end - DAYS[1]!.start).toBe(25 * 3_600_000)
    const summed = await summarizeVehicleDays(handle.db, {
      orgId,
      vehicleIds: [vehicleId],
      days: DAYS,
    })
    expect(await countDayRows(vehicleId)).toBe(3)
    const stored = await summarizeVehicleDays(handle.db, {
      orgId,
      vehicleIds: [vehicleId],
      days: DAYS,
    })
    expect(stored).toEqual(summed)
    const buckets = await sumActivityByPeriod(handle.db, {
      orgId,
      vehicleIds: [vehicleId],
      bounds: [...DAYS.map((d) => d.start), DAYS[2]!.end],
    })
    for (const bucketDay of buckets) {
      const { vehicleId: _, period, ...figures } = bucketDay
      expect(stored[0]![period]).toMatchObject(figures)
    }
    // And what the raw points give, as reports round them.
    const raw = summarizeDays({
      points: points.map((p) => ({ ...p, lat: 52.5, speed: 40, ignition: true })),
      fromDate: '2026-10-24',
      toDate: '2026-10-26',
      timeZone: ZONE,
    })
    expect(stored[0]!.map(roundSummary).map(strip)).toEqual(raw.map(roundSummary).map(strip))
    // The same dates in UTC are other days: rows of their own, the Berlin ones untouched.
    await summarizeVehicleDays(handle.db, {
      orgId,
      vehicleIds: [vehicleId],
      days: listDays('2026-10-24', '2026-10-26', 'UTC'),
    })
    expect(await countDayRows(vehicleId)).toBe(6)
  })

  it('drop the days late points reach, and count them next time', async () => {
    const { orgId, vehicleId, deviceId } = await addVehicle(driveAcrossTheChange())
    const before = await summarizeVehicleDays(handle.db, {
      orgId,
      vehicleIds: [vehicleId],
      days: DAYS,
    })
    expect(await countDayRows(vehicleId)).toBe(3)
    // Late: noon on the 26th, after the drive (Berlin's 26th only).
    await insertPoints(orgId, vehicleId, deviceId, [{ time: Date.UTC(2026, 9, 26, 11), lon: 20 }])
    expect(await countDayRows(vehicleId)).toBe(2)
    const after = await summarizeVehicleDays(handle.db, {
      orgId,
      vehicleIds: [vehicleId],
      days: DAYS,
    })
    expect(after[0]![2]!.pointCount).toBe(before[0]![2]!.pointCount + 1)
    expect(after[0]!.slice(0, 2)).toEqual(before[0]!.slice(0, 2))
    expect(await countDayRows(vehicleId)).toBe(3)
  })

  it('store only days that have ended', async () => {
    const now = Date.now()
    const { orgId, vehicleId } = await addVehicle([
      { time: now - 86_400_000, lon: 13 },
      { time: now - 60_000, lon: 13.01 },
    ])
    const today = new Date(now).toISOString().slice(0, 10)
    const yesterday = new Date(now - 86_400_000).toISOString().slice(0, 10)
    const days = listDays(yesterday, today, 'UTC')
    const [list] = await summarizeVehicleDays(handle.db, { orgId, vehicleIds: [vehicleId], days })
    expect(list?.map((d) => d.pointCount)).toEqual([1, 1])
    expect(await countDayRows(vehicleId)).toBe(1)
  })

  // Several sessions at once: on PostgreSQL in both projects (PGlite is one session, where the
  // locks are always free), like activity-lock.test.ts.
  describe('beside refreshes on other sessions', () => {
    let outer: TestDbHandle
    beforeAll(async () => {
      outer = handle
      handle = await createTestDb('postgres')
    })
    afterAll(async () => {
      await handle.close()
      handle = outer
    })

    it('answer from the buckets but store nothing while a refresh of the org runs', async () => {
      const { orgId, vehicleId } = await addVehicle(driveAcrossTheChange())
      const expected = await sumActivityByPeriod(handle.db, {
        orgId,
        vehicleIds: [vehicleId],
        bounds: [...DAYS.map((d) => d.start), DAYS[2]!.end],
      })
      await handle.db.transaction(async (tx) => {
        expect(await lockActivityRefresh(tx, { wait: true, orgId })).toBe(true)
        const [list] = await summarizeVehicleDays(handle.db, {
          orgId,
          vehicleIds: [vehicleId],
          days: DAYS,
        })
        const byPeriod = [...expected].sort((x, y) => x.period - y.period)
        expect(list?.map((d) => d.pointCount)).toEqual(byPeriod.map((d) => d.pointCount))
      })
      expect(await countDayRows(vehicleId)).toBe(0)
    })

    it('answer from the buckets but store nothing while the rules engine writes folded buckets of the org', async () => {
      const { orgId, vehicleId } = await addVehicle(driveAcrossTheChange())
      const bucket = DAYS[1]!.start + 3_600_000
      const figures = {
        bucket,
        pointCount: 1,
        distanceKm: 1,
        movingDistanceKm: 1,
        drivingSec: 60,
        idleSec: 0,
        maxSpeed: 40,
        fuelUsedPct: null,
        refuelledPct: 0,
        refuelCount: 0,
        tripCount: 0,
      }
      await handle.db.transaction(async (tx) => {
        await writeFoldedActivity(tx, [{ orgId, vehicleId, buckets: [figures] }])
        const [list] = await summarizeVehicleDays(handle.db, {
          orgId,
          vehicleIds: [vehicleId],
          days: DAYS,
        })
        expect(list).toHaveLength(3)
      })
      expect(await countDayRows(vehicleId)).toBe(0)
    })

    it('drop the day rows over the buckets the rules engine folds', async () => {
      const { orgId, vehicleId } = await addVehicle(driveAcrossTheChange())
      await summarizeVehicleDays(handle.db, { orgId, vehicleIds: [vehicleId], days: DAYS })
      expect(await countDayRows(vehicleId)).toBe(3)
      const [before] = await sumActivityByPeriod(handle.db, {
        orgId,
        vehicleIds: [vehicleId],
        bounds: [DAYS[1]!.start, DAYS[1]!.end],
      })
      const bucket = DAYS[1]!.start + 3_600_000
      await handle.db.transaction((tx) =>
        writeFoldedActivity(tx, [
          {
            orgId,
            vehicleId,
            buckets: [
              {
                bucket,
                pointCount: 1000,
                distanceKm: 0,
                movingDistanceKm: 0,
                drivingSec: 0,
                idleSec: 0,
                maxSpeed: null,
                fuelUsedPct: null,
                refuelledPct: 0,
                refuelCount: 0,
                tripCount: 0,
              },
            ],
          },
        ]),
      )
      expect(await countDayRows(vehicleId)).toBe(2)
      const [list] = await summarizeVehicleDays(handle.db, {
        orgId,
        vehicleIds: [vehicleId],
        days: DAYS,
      })
      // The bucket held a few points of the drive (one every 2 minutes); its new figures say 1000.
      expect(list?.[1]?.pointCount).toBeGreaterThan((before?.pointCount ?? 0) + 900)
      expect(await countDayRows(vehicleId)).toBe(3)
    })

    it('keep a refresh of the org out while a fill holds its lock', async () => {
      const orgId = randomUUID()
      await handle.db.transaction(async (tx) => {
        expect(await lockActivityFill(tx, orgId)).toBe(true)
        expect(await refreshActivity(handle.db, { orgId, noWait: true })).toBeNull()
        expect(await refreshActivity(handle.db, { skipIfBusy: true })).toBeNull()
      })
      expect(await refreshActivity(handle.db, { orgId, noWait: true })).toBe(0)
    })

    it('store one row per day when two reports fill the same days at once', async () => {
      const { orgId, vehicleId } = await addVehicle(driveAcrossTheChange())
      const ask = () =>
        summarizeVehicleDays(handle.db, { orgId, vehicleIds: [vehicleId], days: DAYS })
      const [a, b] = await Promise.all([ask(), ask()])
      expect(a).toEqual(b)
      expect(await countDayRows(vehicleId)).toBe(3)
    })
  })
})
