import { countsSent } from '@fms/api'
import { sql } from '@fms/db'
import { insertTelemetry, MARK_SETTLE_MS } from '@fms/db/queries/activity'
import { rowsOf } from '@fms/db/queries/rows'
import { createTestDb } from '@fms/db/testing'
import { roundSummary, summarizeDays } from '@fms/engine'
import {
  createApiClient,
  type Fleet,
  postTelemetry,
  provisionFleet,
  TEST_METRICS_TOKEN,
} from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { type SpawnedServer, spawnServer } from './testing/spawn-server.ts'
import { waitUntil } from './testing/wait.ts'

// Three server processes on one PostgreSQL, each with its background activity refresher ticking
// every second, and a device's requests spread over them as a round-robin balancer would: one
// node at a time folds the marks (the others skip their turn rather than wait), no mark is folded
// by two nodes, and reports, which refresh their own organization on whichever node answers while
// the background runs go on, give the figures of the raw points: nothing lost, nothing twice.
let scratch: Awaited<ReturnType<typeof createTestDb>>
const nodes: SpawnedServer[] = []
const fleets: Fleet[] = []

// Yesterday 10:00 UTC: a whole past day to summarize.
const DAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
const T0 = Date.parse(`${DAY}T10:00:00Z`)
/** The key of the background refresher's advisory lock (REFRESH_LOCK_KEY in the activity queries). */
const REFRESH_LOCK_KEY = 0x464d5341

interface Point {
  time: number
  lat: number
  lon: number
  speed: number
  fuel: number
  ignition: boolean
}

/**
 * Leg n of a vehicle (`lane`, with its own latitude and start time): half an hour at 36 km/h due
 * east, a point every 10 s, the fuel falling, from where leg n - 1 ended after a half-hour stop.
 */
function leg(lane: number, n: number): Point[] {
  const startMin = lane * 7 + n * 60
  return Array.from({ length: 180 }, (_, i) => ({
    time: T0 + startMin * 60_000 + i * 10_000,
    lat: 52.5 + lane * 0.01,
    lon: 13 + (n * 180 + i) * 10 * (0.01 / 67.77),
    speed: 36,
    fuel: 80 - (n * 180 + i) / 20,
    ignition: true,
  }))
}

/** Every vehicle of both fleets with its lane (0..3) and the points written for it so far. */
function vehicles() {
  return fleets.flatMap((fleet, f) =>
    fleet.vehicles.map((vehicle, v) => ({
      fleet,
      vehicle,
      lane: f * 2 + v,
      points: [] as Point[],
    })),
  )
}

async function startNode(): Promise<SpawnedServer> {
  const node = await spawnServer({
    DATABASE_URL: scratch.url ?? '',
    INGEST_RATE_LIMIT: '0',
    ACTIVITY_REFRESH_SEC: '1',
  })
  nodes.push(node)
  return node
}

beforeAll(async () => {
  scratch = await createTestDb('postgres')
  await Promise.all([startNode(), startNode(), startNode()])
  const [first] = nodes
  if (!first) throw new Error('no node running')
  fleets.push(await provisionFleet(first.url, { vehicles: 2, orgName: 'Fleet A' }))
  fleets.push(await provisionFleet(first.url, { vehicles: 2, orgName: 'Fleet B' }))
}, 90_000)

afterAll(async () => {
  for (const node of nodes) node.child.kill('SIGKILL')
  await Promise.all(nodes.map((n) => n.exited))
  await scratch?.close()
})

async function count(query: Parameters<typeof scratch.db.execute>[0]): Promise<number> {
  return rowsOf<{ n: number }>(await scratch.db.execute(query))[0]?.n ?? 0
}

/** Per node, the background refresher's runs (turns not skipped) and marks handled. */
async function refresherMetrics(): Promise<{ runs: number; marks: number }[]> {
  return Promise.all(
    nodes.map(async (node) => {
      const res = await fetch(new URL('/metrics', node.url), {
        headers: { Authorization: `Bearer ${TEST_METRICS_TOKEN}` },
      })
      const text = await res.text()
      const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1])
      return {
        runs: read('fms_activity_refresh_seconds_count'),
        marks: read('fms_activity_marks_total'),
      }
    }),
  )
}

/**
 * Samples the refresh lock in `pg_locks` until stopped: the most sessions seen holding it at once
 * exclusively, and the most seen waiting for it.
 */
function watchRefreshLock() {
  let isStopped = false
  const seen = { exclusiveHolders: 0, waiters: 0, samples: 0 }
  const done = (async () => {
    while (!isStopped) {
      const [row] = rowsOf<{ exclusive: number; waiting: number }>(
        await scratch.db.execute(sql`
          select count(*) filter (where granted and mode = 'ExclusiveLock')::int as exclusive,
                 count(*) filter (where not granted)::int as waiting
          from pg_locks
          where locktype = 'advisory' and classid = 0 and objsubid = 1
            and objid = ${REFRESH_LOCK_KEY}::bigint::oid
            and database = (select oid from pg_database where datname = current_database())`),
      )
      seen.exclusiveHolders = Math.max(seen.exclusiveHolders, row?.exclusive ?? 0)
      seen.waiters = Math.max(seen.waiters, row?.waiting ?? 0)
      seen.samples++
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  })()
  return {
    seen,
    stop: async () => {
      isStopped = true
      await done
    },
  }
}

/** Each vehicle's daily figures for DAY as `node` answers them, and whether it says up to date. */
async function dailyOn(node: SpawnedServer, fleet: Fleet) {
  const report = await createApiClient(node.url, fleet.accessToken).reports.daily.query({
    from: DAY,
    to: DAY,
  })
  return {
    isUpToDate: report.isUpToDate,
    days: new Map(report.vehicles.map((v) => [v.vehicleId, v.days[0]])),
  }
}

/** What the raw points give, computed in one go: the figures a report must equal. */
function expectedDay(points: readonly Point[]) {
  const [day] = summarizeDays({ points: [...points], fromDate: DAY, toDate: DAY })
  if (!day) throw new Error('no day')
  // As reports.daily sends it: alert counts without the zeros.
  return { ...roundSummary(day), alertCounts: countsSent(day.alertCounts) }
}

describe('the activity refresher on several server nodes', () => {
  let lanes: ReturnType<typeof vehicles> = []

  it('folds every mark once, one node at a time, while points arrive on every node', async () => {
    lanes = vehicles()
    const lock = watchRefreshLock()
    onTestFinished(lock.stop)
    // Two legs per vehicle in requests of 30 points, the second leg first (late points), the
    // vehicles' requests interleaved and request k sent to node k % 3: about 4 s of posting
    // while the three refreshers tick.
    const order = [6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5]
    let k = 0
    for (const chunk of order) {
      for (const lane of lanes) {
        const points = [...leg(lane.lane, 0), ...leg(lane.lane, 1)].slice(
          chunk * 30,
          chunk * 30 + 30,
        )
        lane.points.push(...points)
        const node = nodes[k++ % nodes.length]
        if (!node) throw new Error('no node')
        const answer = await postTelemetry(node.url, {
          token: lane.fleet.token.secret,
          body: points.map((p) => ({
            ...p,
            device_id: lane.vehicle.deviceId,
            time: new Date(p.time).toISOString(),
          })),
        })
        expect(answer.status).toBe(200)
        await new Promise((resolve) => setTimeout(resolve, 60))
      }
    }
    const written = lanes.reduce((n, lane) => n + lane.points.length, 0)
    await waitUntil(
      async () => (await count(sql`select count(*)::int as n from telemetry`)) === written,
      {
        timeoutMs: 10_000,
        what: 'every point stored',
      },
    )
    // The rules engines fold the points from their outbox; the late ones (the first leg) they
    // mark for the refreshers, in the transaction that consumes the outbox rows.
    await waitUntil(
      async () => (await count(sql`select count(*)::int as n from rule_outbox`)) === 0,
      { timeoutMs: 10_000, what: 'the outbox worked off' },
    )
    const marks = await count(sql`select count(*)::int as n from activity_dirty`)
    expect(marks).toBeGreaterThan(0)
    // Every mark handled once by the background (no report has run yet), counted by the node that
    // handled it: the nodes' counts add up to the marks exactly, so no mark was folded twice.
    await waitUntil(
      async () =>
        (await count(
          sql`select count(*)::int as n from activity_dirty where processed_at is null`,
        )) === 0 && (await refresherMetrics()).reduce((n, m) => n + m.marks, 0) >= marks,
      { timeoutMs: 10_000, what: 'the marks handled once' },
    )
    expect((await refresherMetrics()).reduce((n, m) => n + m.marks, 0)).toBe(marks)

    // A mark is handled once more when it has settled (MARK_SETTLE_MS), in case its points
    // committed after a refresh read it: settle them now instead of waiting two minutes.
    await scratch.db.execute(
      sql`update activity_dirty set created_at = created_at - make_interval(secs => ${MARK_SETTLE_MS / 1000 + 1})`,
    )
    await waitUntil(
      async () => (await count(sql`select count(*)::int as n from activity_dirty`)) === 0,
      { timeoutMs: 10_000, what: 'the settled marks handled and deleted' },
    )
    await waitUntil(
      async () => (await refresherMetrics()).reduce((n, m) => n + m.marks, 0) >= 2 * marks,
      { timeoutMs: 5000, what: 'the last run counted' },
    )
    await lock.stop()
    const metrics = await refresherMetrics()
    expect(metrics.reduce((n, m) => n + m.marks, 0)).toBe(2 * marks)
    // Every node took turns, none ever waited for another (a turn finding the lock taken is
    // skipped), and never did two hold the lock at once.
    for (const node of metrics) expect(node.runs).toBeGreaterThan(0)
    expect(lock.seen.samples).toBeGreaterThan(100)
    expect(lock.seen.waiters).toBe(0)
    expect(lock.seen.exclusiveHolders).toBeLessThanOrEqual(1)

    // The buckets give what the raw points give, on every node.
    for (const node of nodes) {
      for (const fleet of fleets) {
        const answer = await dailyOn(node, fleet)
        expect(answer.isUpToDate).toBe(true)
        for (const lane of lanes.filter((l) => l.fleet === fleet)) {
          const day = answer.days.get(lane.vehicle.id)
          expect(day).toEqual(expectedDay(lane.points))
          expect(day?.tripCount).toBe(2)
          expect(day?.distanceKm).toBeGreaterThan(30)
        }
      }
    }
  })

  it('gives reports refreshing on any node, during background runs, the figures of the raw points', async () => {
    expect(lanes.length).toBe(4)
    const lock = watchRefreshLock()
    onTestFinished(lock.stop)
    // A third leg per vehicle, earlier in the day, stored with its marks in one transaction each
    // (so any refresh that sees a mark sees its points) as an import would, outside the committed
    // stream the rules engine folds (so before the buckets its folds own), then reports of both
    // organizations asked of every node at once, again and again, while the background
    // refreshers run.
    for (const lane of lanes) {
      const points = leg(lane.lane, -2)
      lane.points.push(...points)
      await insertTelemetry(
        scratch.db,
        points.map((p) => ({
          ...p,
          time: new Date(p.time),
          orgId: lane.fleet.orgId,
          deviceId: lane.vehicle.deviceId,
          vehicleId: lane.vehicle.id,
        })),
      )
    }
    let upToDate = 0
    await waitUntil(
      async () => {
        const answers = await Promise.all(
          nodes.flatMap((node) =>
            fleets.map(async (fleet) => ({ fleet, answer: await dailyOn(node, fleet) })),
          ),
        )
        for (const { fleet, answer } of answers) {
          // Not up to date (another refresh held the lock): the answer says so. Up to date: exact.
          if (!answer.isUpToDate) continue
          upToDate++
          for (const lane of lanes.filter((l) => l.fleet === fleet)) {
            expect(answer.days.get(lane.vehicle.id)).toEqual(expectedDay(lane.points))
          }
        }
        return answers.every((a) => a.answer.isUpToDate)
      },
      { timeoutMs: 15_000, intervalMs: 20, what: 'every node up to date' },
    )
    await lock.stop()
    expect(upToDate).toBeGreaterThanOrEqual(nodes.length * fleets.length)
    expect(lock.seen.waiters).toBe(0)
    for (const lane of lanes) expect(lane.points.length).toBe(540)
  })
})
