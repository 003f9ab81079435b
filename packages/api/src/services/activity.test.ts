import { randomUUID } from 'node:crypto'
import { sql } from '@fms/db'
import { insertTelemetry, MARK_SETTLE_MS, sumActivityByPeriod } from '@fms/db/queries/activity'
import { rowsOf } from '@fms/db/queries/rows'
import { activityDirty, telemetry } from '@fms/db/schema'
import { createTestDb, type TestDbHandle } from '@fms/db/testing'
import { summarizeDays } from '@fms/engine'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refreshActivity } from './activity.ts'

let handle: TestDbHandle
beforeAll(async () => {
  handle = await createTestDb()
})
afterAll(() => handle?.close())

const START = Date.UTC(2026, 10, 2, 8)

async function countMarks(orgId: string) {
  const result = await handle.db.execute(
    sql`select count(*)::int as n, count(processed_at)::int as processed
        from activity_dirty where org_id = ${orgId}`,
  )
  return rowsOf<{ n: number; processed: number }>(result)[0]!
}

async function dayTotals(orgId: string, vehicleId: string) {
  const [day] = await sumActivityByPeriod(handle.db, {
    orgId,
    vehicleIds: [vehicleId],
    bounds: [START - 8 * 3_600_000, START + 16 * 3_600_000],
  })
  return day
}

describe('activity refresh and the marks protocol', () => {
  it('counts points committed after a refresh read their mark, once the mark has settled', async () => {
    const orgId = randomUUID()
    const vehicleId = randomUUID()
    const deviceId = randomUUID()
    // The writer commits a batch's mark, then its points (COPY). A refresh runs in between.
    await handle.db.insert(activityDirty).values({
      orgId,
      spans: [[vehicleId, START, START + 50_000]],
    })
    expect(await refreshActivity(handle.db, { orgId })).toBe(1)
    expect(await countMarks(orgId)).toEqual({ n: 1, processed: 1 })
    await handle.db.insert(telemetry).values(
      Array.from({ length: 6 }, (_, i) => ({
        time: new Date(START + i * 10_000),
        orgId,
        deviceId,
        vehicleId,
        lat: 52 + i / 1000,
        lon: 13,
        speed: 40,
      })),
    )
    // Not settled yet: a refresh leaves the handled mark alone.
    expect(await refreshActivity(handle.db, { orgId })).toBe(0)
    expect(await dayTotals(orgId, vehicleId)).toBeUndefined()
    // Settled (as if MARK_SETTLE_MS had passed): handled once more, with the points, and deleted.
    await handle.db.execute(
      sql`update activity_dirty set created_at = created_at - make_interval(secs => ${MARK_SETTLE_MS / 1000 + 1})
          where org_id = ${orgId}`,
    )
    expect(await refreshActivity(handle.db, { orgId })).toBe(1)
    expect(await countMarks(orgId)).toEqual({ n: 0, processed: 0 })
    const day = await dayTotals(orgId, vehicleId)
    expect(day?.pointCount).toBe(6)
    expect(day?.distanceKm).toBeGreaterThan(0.5)
  })

  it("leaves other organizations' marks to the background when refreshing one", async () => {
    const mine = randomUUID()
    const theirs = randomUUID()
    for (const orgId of [mine, theirs]) {
      await handle.db.insert(activityDirty).values({ orgId, spans: [[randomUUID(), START, START]] })
    }
    await refreshActivity(handle.db, { orgId: mine })
    expect((await countMarks(mine)).processed).toBe(1)
    expect(await countMarks(theirs)).toEqual({ n: 1, processed: 0 })
    await refreshActivity(handle.db)
    expect(await countMarks(theirs)).toEqual({ n: 1, processed: 1 })
  })

  it('keeps the share of a data gap reaching into the rebuilt buckets from beyond the context', async () => {
    const orgId = randomUUID()
    const vehicleId = randomUUID()
    const deviceId = randomUUID()
    const at = (minutes: number, odometer: number) => ({
      time: new Date(START + minutes * 60_000),
      orgId,
      deviceId,
      vehicleId,
      speed: 50,
      odometer,
    })
    // 70 minutes without data, 60 km by the odometer; then one more point a minute later.
    const first = [at(0, 1000), at(70, 1060)]
    await insertTelemetry(handle.db, first)
    await refreshActivity(handle.db, { orgId })
    await insertTelemetry(handle.db, [at(71, 1060.8)])
    await refreshActivity(handle.db, { orgId })
    const all = [...first, at(71, 1060.8)].map((p) => ({ ...p, time: p.time.getTime() }))
    const [expected] = summarizeDays({ points: all, fromDate: '2026-11-02', toDate: '2026-11-02' })
    const day = await dayTotals(orgId, vehicleId)
    expect(day?.distanceKm).toBeCloseTo(expected!.distanceKm, 6)
    expect(day?.distanceKm).toBeCloseTo(60.8, 6)
  })
})
