import { countsSent } from '@fms/api'
import { sql } from '@fms/db'
import { rowsOf } from '@fms/db/queries/rows'
import { createTestDb } from '@fms/db/testing'
import { roundSummary, summarizeDays } from '@fms/engine'
import { createApiClient, type Fleet, postTelemetry, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SpawnedServer, spawnServer } from './testing/spawn-server.ts'
import { waitUntil } from './testing/wait.ts'

// Two server processes on one PostgreSQL, a fleet's requests alternating between them as a
// balancer would: the rules engines fold the activity buckets from the committed stream, so
// points in order leave the refresher nothing to do, and a late point is repaired by it.
let scratch: Awaited<ReturnType<typeof createTestDb>>
const nodes: SpawnedServer[] = []
let fleet: Fleet

// Yesterday 10:00 UTC: a whole past day to summarize.
const DAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
const T0 = Date.parse(`${DAY}T10:00:00Z`)

interface Point {
  time: number
  lat: number
  lon: number
  speed: number
  fuel: number
  ignition: boolean
}

/**
 * Vehicle `lane`'s day: a 40-minute drive at 36 km/h due east with the fuel falling, a stop of 20
 * minutes with the engine idling and a refuel, then a second drive; a point every 10 s.
 */
function day(lane: number): Point[] {
  const points: Point[] = []
  let lon = 13
  for (let i = 0; i < 600; i++) {
    const isStopped = i >= 240 && i < 360
    const speed = isStopped ? 0 : 36
    lon += isStopped ? 0 : 0.1 / 67.77
    const fuel = i < 300 ? 80 - i / 30 : i < 330 ? 70 + (i - 300) : 100 - (i - 330) / 30
    points.push({
      time: T0 + lane * 60_000 + i * 10_000,
      lat: 52.5 + lane * 0.01,
      lon,
      speed,
      fuel,
      ignition: true,
    })
  }
  return points
}

async function count(query: Parameters<typeof scratch.db.execute>[0]): Promise<number> {
  return rowsOf<{ n: number }>(await scratch.db.execute(query))[0]?.n ?? 0
}

function post(node: SpawnedServer, deviceId: string, points: readonly Point[]) {
  return postTelemetry(node.url, {
    token: fleet.token.secret,
    body: points.map((p) => ({ ...p, device_id: deviceId, time: new Date(p.time).toISOString() })),
  })
}

/** Each vehicle's figures for DAY as `node` answers them. */
async function dailyOn(node: SpawnedServer) {
  const report = await createApiClient(node.url, fleet.accessToken).reports.daily.query({
    from: DAY,
    to: DAY,
  })
  return {
    isUpToDate: report.isUpToDate,
    days: new Map(report.vehicles.map((v) => [v.vehicleId, v.days[0]])),
  }
}

function expectedDay(points: readonly Point[]) {
  const [summary] = summarizeDays({ points: [...points], fromDate: DAY, toDate: DAY })
  if (!summary) throw new Error('no day')
  // As reports.daily sends it: alert counts without the zeros.
  return { ...roundSummary(summary), alertCounts: countsSent(summary.alertCounts) }
}

/** Waits until every committed point has been through a rules engine (the outbox is empty). */
async function whenFolded() {
  await waitUntil(
    async () => (await count(sql`select count(*)::int as n from rule_outbox`)) === 0,
    {
      timeoutMs: 15_000,
      what: 'the outbox worked off',
    },
  )
}

beforeAll(async () => {
  scratch = await createTestDb('postgres')
  const env = { DATABASE_URL: scratch.url ?? '', INGEST_RATE_LIMIT: '0', ACTIVITY_REFRESH_SEC: '1' }
  nodes.push(...(await Promise.all([spawnServer(env), spawnServer(env)])))
  const [first] = nodes
  if (!first) throw new Error('no node running')
  fleet = await provisionFleet(first.url, { vehicles: 2 })
}, 90_000)

afterAll(async () => {
  for (const node of nodes) node.child.kill('SIGKILL')
  await Promise.all(nodes.map((n) => n.exited))
  await scratch?.close()
})

describe('activity buckets folded from the committed stream on several nodes', () => {
  const sent = new Map<string, Point[]>()

  it('leaves the refresher nothing to do for points in order, and equals the raw points', async () => {
    const lanes = fleet.vehicles.map((vehicle, lane) => ({ vehicle, points: day(lane) }))
    let k = 0
    for (let from = 0; from < 600; from += 20) {
      for (const { vehicle, points } of lanes) {
        const node = nodes[k++ % nodes.length] as SpawnedServer
        const answer = await post(node, vehicle.deviceId, points.slice(from, from + 20))
        expect(answer.status).toBe(200)
        // One request at a time per vehicle: in order, whichever node stores it.
      }
    }
    for (const { vehicle, points } of lanes) sent.set(vehicle.id, [...points])
    await whenFolded()
    expect(await count(sql`select count(*)::int as n from activity_dirty`)).toBe(0)
    expect(await count(sql`select count(*)::int as n from vehicle_activity`)).toBeGreaterThan(0)
    for (const node of nodes) {
      const answer = await dailyOn(node)
      expect(answer.isUpToDate).toBe(true)
      for (const { vehicle, points } of lanes) {
        const figures = answer.days.get(vehicle.id)
        expect(figures).toEqual(expectedDay(points))
        expect(figures?.tripCount).toBe(2)
        expect(figures?.refuelCount).toBe(1)
      }
    }
  })

  it('marks a late point for the refresher, which repairs its buckets', async () => {
    const [vehicle] = fleet.vehicles
    const [node] = nodes
    if (!vehicle || !node) throw new Error('no vehicle')
    const points = sent.get(vehicle.id) ?? []
    // Between two stored points of the first drive, far off the road: a detour of the track.
    const late = { ...(points[100] as Point), time: (points[100] as Point).time + 5000, lat: 52.52 }
    expect((await post(node, vehicle.deviceId, [late])).status).toBe(200)
    points.push(late)
    await whenFolded()
    // Marked by the rules engine that took it (kept a while once handled: see MARK_SETTLE_MS).
    expect(await count(sql`select count(*)::int as n from activity_dirty`)).toBeGreaterThan(0)
    // The refresher picks the mark up; then the figures include the late point.
    await waitUntil(
      async () =>
        (await count(
          sql`select count(*)::int as n from activity_dirty where processed_at is null`,
        )) === 0,
      { timeoutMs: 15_000, what: 'the mark handled' },
    )
    for (const n of nodes) {
      const answer = await dailyOn(n)
      expect(answer.isUpToDate).toBe(true)
      expect(answer.days.get(vehicle.id)).toEqual(expectedDay(points))
      expect(answer.days.get(vehicle.id)?.pointCount).toBe(601)
    }
  })
})
