import { countsSent } from '@fms/api'
import { sql } from '@fms/db'
import { rowsOf } from '@fms/db/queries/rows'
import { roundSummary, summarizeDays } from '@fms/engine'
import { type Fleet, postTelemetry, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { waitUntil } from './testing/wait.ts'

let server: RunningServer
let fleet: Fleet
// Yesterday 10:00 UTC: a whole past day to summarize.
const DAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
const T0 = Date.parse(`${DAY}T10:00:00Z`)

beforeAll(async () => {
  server = await startTestServer({ INGEST_RATE_LIMIT: '0', ACTIVITY_REFRESH_SEC: '1' })
  fleet = await provisionFleet(server.url)
})
afterAll(() => server?.close())

/** 30 min at 36 km/h due east with the fuel falling, every 10 s; the second starts where the first ended. */
function drive(offsetMin: number) {
  return Array.from({ length: 180 }, (_, i) => ({
    time: T0 + offsetMin * 60_000 + i * 10_000,
    lat: 52.5,
    lon: 13 + (offsetMin > 0 ? 1800 : 0) * (0.01 / 67.77) + i * 10 * (0.01 / 67.77),
    speed: 36,
    fuel: 80 - i / 20,
    ignition: true,
  }))
}

async function countRows(table: 'activity_dirty' | 'vehicle_activity'): Promise<number> {
  // Marks handled once but not settled yet stay (`processed_at`): count those still to do.
  const unhandled = table === 'activity_dirty' ? sql`and processed_at is null` : sql``
  const result = await server.db.db.execute(
    sql`select count(*)::int as n from ${sql.identifier(table)} where org_id = ${fleet.orgId} ${unhandled}`,
  )
  return rowsOf<{ n: number }>(result)[0]!.n
}

async function countOutbox(): Promise<number> {
  const result = await server.db.db.execute(sql`select count(*)::int as n from rule_outbox`)
  return rowsOf<{ n: number }>(result)[0]!.n
}

describe('activity buckets behind the daily summaries', () => {
  it('are built in the background from points ingested over HTTP, late ones included', async () => {
    const points = [...drive(0), ...drive(60)]
    const asBody = (list: typeof points) =>
      list.map((p) => ({
        ...p,
        device_id: fleet.deviceIds[0],
        time: new Date(p.time).toISOString(),
      }))
    // The second half hour first, then the first one: late, out-of-order points.
    for (const part of [points.slice(180), points.slice(0, 180)]) {
      const answer = await postTelemetry(server.url, {
        token: fleet.token.secret,
        body: asBody(part),
      })
      expect(answer.status).toBe(200)
    }
    // The rules engine folds the points from its outbox; the late ones it leaves to the refresher.
    await waitUntil(
      async () => (await countOutbox()) === 0 && (await countRows('activity_dirty')) === 0,
      { timeoutMs: 15_000 },
    )
    expect(await countRows('vehicle_activity')).toBeGreaterThan(0)

    const report = await fleet.api.reports.daily.query({
      vehicleId: fleet.vehicleIds[0],
      from: DAY,
      to: DAY,
    })
    const [expected] = summarizeDays({ points, fromDate: DAY, toDate: DAY })
    // As reports.daily sends it: alert counts without the zeros.
    expect(report.vehicles[0]!.days[0]).toEqual({
      ...roundSummary(expected!),
      alertCounts: countsSent(expected!.alertCounts),
    })
    expect(report.vehicles[0]!.days[0]!.distanceKm).toBeGreaterThan(30)
    expect(report.vehicles[0]!.days[0]!.tripCount).toBe(2)
  })
})
