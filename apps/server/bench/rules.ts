/**
 * `pnpm bench:rules`: the rules engine on the partitioned committed stream.
 *
 * 1. A scratch PostgreSQL database; an organization with overspeed, idle, high-rpm and geofence
 *    rules and N vehicles (vehicles and devices inserted directly: thousands of API calls would
 *    take minutes).
 * 2. Baseline and backlog: writes P points (1 Hz drives, a share of them speeding) through the
 *    ingestion writer with the rules outbox, as HTTP ingestion stores them, while no node runs.
 * 3. One node: starts a server process, which takes all 64 shards and works the backlog off;
 *    points/s through the rules = P / time until the outbox is empty. Ratio against the writer's
 *    rate in step 2, same run.
 * 3b. Points read per point ingested: PostgreSQL's count of `telemetry` rows read while the node
 *    worked the backlog off (its rules engine reading each batch back, and folding the activity
 *    buckets from it) against the old path's: the same batches' activity marks, as the writer
 *    stored them before the fold, handed to the activity refresher once per ACTIVITY_REFRESH_SEC
 *    (600 s) of data, as it ran. Needs a backlog longer than that per vehicle to show the old
 *    path's re-reads (e.g. --vehicles 200 --points 720000: an hour each).
 * 4. Two nodes at a steady rate: posts R points/s for S seconds, alternating requests between the
 *    nodes, and samples the age of the oldest unprocessed batch every 250 ms (the lag).
 * Flags: --vehicles N --points P --rate R --seconds S --json
 */
import { parseArgs } from 'node:util'
import { refreshActivity } from '@fms/api'
import { createDb, sql } from '@fms/db'
import { rowsOf } from '@fms/db/queries/rows'
import { devices, ruleOutbox, vehicles } from '@fms/db/schema'
import {
  createPostgresSink,
  spanVehicles,
  type TelemetryInsert,
  TelemetryWriter,
} from '@fms/db/telemetry'
import {
  createApiClient,
  postTelemetry,
  requireSignedIn,
  TEST_PASSWORD,
  uniqueEmail,
} from '@fms/testkit'
import { type SpawnedServer, spawnServer } from '../src/testing/spawn-server.ts'
import { createScratchDatabase } from './scratch-db.ts'

const { values: args } = parseArgs({
  // `pnpm bench:x -- --flag` hands the script a literal `--`: not a positional argument.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    vehicles: { type: 'string', default: '2000' },
    points: { type: 'string', default: '200000' },
    rate: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
  },
})
const VEHICLES = Number(args.vehicles)
const POINTS = Number(args.points)
const RATE = Number(args.rate)
const SECONDS = Number(args.seconds)
const log = (message: string) => process.stderr.write(`${message}\n`)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface BenchVehicle {
  id: string
  deviceId: string
  lat: number
  lon: number
  step: number
}

/** The vehicle's next point, `time`: a drive at 1 Hz, speeding 20 s in every 3 minutes. */
function nextPoint(orgId: string, v: BenchVehicle, time: number): TelemetryInsert {
  v.step += 1
  const phase = v.step % 180
  const speed = phase < 20 ? 115 : phase < 150 ? 60 : 0
  v.lat += speed / 3600 / 111.2
  return {
    time,
    orgId,
    deviceId: v.deviceId,
    vehicleId: v.id,
    lat: v.lat,
    lon: v.lon,
    speed,
    rpm: speed === 0 ? 800 : speed * 30,
    ignition: true,
  }
}

async function seed(url: string, db: Awaited<ReturnType<typeof createDb>>) {
  const session = requireSignedIn(
    await createApiClient(url).auth.register.mutate({
      email: uniqueEmail('bench'),
      password: TEST_PASSWORD,
      orgName: 'Rules Benchmark',
    }),
  )
  const orgId = session.user.orgId
  const api = createApiClient(url, session.accessToken)
  const token = await api.tokens.create.mutate({ title: 'bench' })
  const depot = await api.geofences.create.mutate({
    name: 'Depot',
    shape: { type: 'circle', lat: 52.6, lon: 13.4, radiusM: 500 },
  })
  for (const rule of [
    { kind: 'overspeed', threshold: 100, durationSec: 10 },
    { kind: 'high_rpm', threshold: 3300, durationSec: 10 },
    { kind: 'idle', durationSec: 20 },
    { kind: 'geofence_enter', geofenceId: depot.id },
  ] as const) {
    await api.rules.create.mutate(rule)
  }
  const fleet: BenchVehicle[] = []
  for (let offset = 0; offset < VEHICLES; offset += 1000) {
    const size = Math.min(1000, VEHICLES - offset)
    const inserted = await db.db
      .insert(vehicles)
      .values(
        Array.from({ length: size }, (_, i) => ({
          orgId,
          code: `R-${offset + i + 1}`,
          vin: `RULES${String(offset + i + 1).padStart(12, '0')}`,
        })),
      )
      .returning({ id: vehicles.id })
    const linked = await db.db
      .insert(devices)
      .values(inserted.map((v) => ({ orgId, vehicleId: v.id, tokenId: token.id })))
      .returning({ id: devices.id, vehicleId: devices.vehicleId })
    for (const device of linked) {
      if (!device.vehicleId) continue
      const n = fleet.length
      fleet.push({ id: device.vehicleId, deviceId: device.id, lat: 52 + n / 1e4, lon: 13, step: n })
    }
  }
  return { orgId, secret: token.secret, fleet }
}

/** Outbox rows waiting, and the age of the oldest (the lag), from the database's clock. */
async function outboxState(db: Awaited<ReturnType<typeof createDb>>) {
  const [row] = await db.db
    .select({
      rows: sql<number>`count(*)::int`,
      ageSec: sql<number>`coalesce(extract(epoch from now() - min(${ruleOutbox.createdAt})), 0)::float8`,
    })
    .from(ruleOutbox)
  return { rows: row?.rows ?? 0, ageSec: row?.ageSec ?? 0 }
}

async function waitDrained(db: Awaited<ReturnType<typeof createDb>>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while ((await outboxState(db)).rows > 0) {
    if (Date.now() > deadline) throw new Error('the rules did not work the backlog off in time')
    await sleep(50)
  }
}

/** `telemetry` rows read so far (sequential and index scans), once the statistics are flushed. */
async function telemetryRowsRead(db: Awaited<ReturnType<typeof createDb>>): Promise<number> {
  await sleep(1500) // every session flushes its table statistics at least once a second
  await db.db.execute(sql`select pg_stat_clear_snapshot()`)
  const [row] = rowsOf<{ n: string }>(
    await db.db.execute(sql`
      select (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::text as n
      from pg_stat_user_tables where relname = 'telemetry'`),
  )
  return Number(row?.n ?? 0)
}

/** The activity refresh interval the old path ran at (the default ACTIVITY_REFRESH_SEC). */
const OLD_REFRESH_MS = 600_000

/**
 * The old path over the backlog: the marks the writer stored with each batch, handed to the
 * refresher once per OLD_REFRESH_MS of data time. The folds are cleared first (so the refresher
 * owns every bucket, as before them). Returns `telemetry` rows it read, and the days' totals it
 * left, to compare with the fold's.
 */
async function replayOldRefresher(
  db: Awaited<ReturnType<typeof createDb>>,
  batches: readonly TelemetryInsert[][],
): Promise<number> {
  await db.db.execute(sql`update vehicle_rule_state set activity = null`)
  const before = await telemetryRowsRead(db)
  let slice: TelemetryInsert[][] = []
  let sliceEnd = (batches[0]?.[0]?.time ?? 0) + OLD_REFRESH_MS
  const flush = async () => {
    for (const rows of slice) {
      const marks = spanVehicles(rows)
      await db.db.execute(sql`
        insert into activity_dirty (org_id, spans)
        select r.org_id, r.spans from json_to_recordset(${JSON.stringify(marks)}::json)
          as r(org_id uuid, spans jsonb)`)
    }
    slice = []
    // Marks settle before they are deleted: age them so each is read once, as a settled mark.
    await db.db.execute(sql`update activity_dirty set created_at = now() - interval '1 hour'`)
    await refreshActivity(db.db)
  }
  for (const rows of batches) {
    if ((rows[0]?.time ?? 0) >= sliceEnd) {
      await flush()
      sliceEnd += OLD_REFRESH_MS
    }
    slice.push(rows)
  }
  await flush()
  return (await telemetryRowsRead(db)) - before
}

/** Per-bucket figures summed over the organization (rounded): the fold's and the refresher's agree. */
async function activityTotals(db: Awaited<ReturnType<typeof createDb>>) {
  const [row] = rowsOf<Record<string, string>>(
    await db.db.execute(sql`
      select sum(point_count)::text as points, round(sum(distance_km)::numeric, 3)::text as km,
        round(sum(driving_sec)::numeric, 1)::text as driving, sum(trip_count)::text as trips
      from vehicle_activity`),
  )
  return row
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
}

async function main() {
  const scratch = await createScratchDatabase('fms_bench_rules')
  const db = await createDb({ url: scratch.url })
  const nodes: SpawnedServer[] = []
  const env = { DATABASE_URL: scratch.url, INGEST_RATE_LIMIT: '0', ALERTS_RULE_CACHE_SEC: '60' }
  try {
    // A first node migrates the database and serves the provisioning, then leaves.
    const setup = await spawnServer({ ...env, ALERTS_ENABLED: 'false' })
    const { orgId, secret, fleet } = await seed(setup.url, db)
    await setup.stop()

    log(`writing ${POINTS} points for ${VEHICLES} vehicles with no node running`)
    const writer = new TelemetryWriter(createPostgresSink(scratch.url, { hasRuleOutbox: true }))
    const startTime = Date.now() - Math.ceil(POINTS / VEHICLES) * 1000 - 3_600_000
    const written = performance.now()
    const batches: Promise<unknown>[] = []
    const stored: TelemetryInsert[][] = []
    // The fleet in GROUPS groups, a batch being one group's next seconds (about 1000 points), the
    // groups in turn: at most 8 batches in flight, so a vehicle's next batch is sent only once its
    // previous one has committed, and each vehicle's points commit in time order, as a device's
    // do (commits out of order would be late points, replayed by the rules and repaired).
    const GROUPS = 10
    const groupSize = Math.ceil(fleet.length / GROUPS)
    const windowSec = Math.max(1, Math.floor(1000 / groupSize))
    let count = 0
    for (let second = 0; count < POINTS; second += windowSec) {
      for (let g = 0; g < GROUPS && count < POINTS; g++) {
        const rows: TelemetryInsert[] = []
        for (let s = second; s < second + windowSec; s++) {
          for (const v of fleet.slice(g * groupSize, (g + 1) * groupSize)) {
            if (count >= POINTS) break
            rows.push(nextPoint(orgId, v, startTime + s * 1000))
            count++
          }
        }
        if (rows.length === 0) continue
        stored.push(rows)
        batches.push(writer.write(rows))
        if (batches.length >= 8) await batches.shift()
      }
    }
    await Promise.all(batches)
    const writeSec = (performance.now() - written) / 1000
    await writer.close()
    const backlog = await outboxState(db)
    log(`backlog: ${backlog.rows} outbox rows; one node works it off`)

    const readBefore = await telemetryRowsRead(db)
    const oneNodeStart = performance.now()
    nodes.push(await spawnServer(env))
    await waitDrained(db, 600_000)
    const oneNodeSec = (performance.now() - oneNodeStart) / 1000
    const foldRead = (await telemetryRowsRead(db)) - readBefore
    const foldMarks = rowsOf<{ n: number }>(
      await db.db.execute(sql`select count(*)::int as n from activity_dirty`),
    )[0]?.n
    const foldTotals = await activityTotals(db)
    await nodes.pop()?.stop()
    log('the old path: the same batches marked, refreshed once per 600 s of data')
    const oldRefreshRead = await replayOldRefresher(db, stored)
    const oldTotals = await activityTotals(db)
    nodes.push(await spawnServer(env))

    log(`two nodes, ${RATE} points/s for ${SECONDS} s`)
    nodes.push(await spawnServer(env))
    await sleep(3000) // the second node takes its half of the shards
    const lags: number[] = []
    let isPosting = true
    const sampler = (async () => {
      while (isPosting) {
        lags.push((await outboxState(db)).ageSec)
        await sleep(250)
      }
    })()
    let sent = 0
    let failed = 0
    const perTick = Math.max(1, Math.round(RATE / 10))
    const began = Date.now()
    for (let tick = 0; tick < SECONDS * 10; tick++) {
      const time = Date.now()
      const body = Array.from({ length: perTick }, (_, i) => {
        const v = fleet[(tick * perTick + i) % fleet.length] as BenchVehicle
        const p = nextPoint(orgId, v, time)
        return {
          device_id: p.deviceId,
          time: p.time,
          lat: p.lat,
          lon: p.lon,
          speed: p.speed,
          rpm: p.rpm,
          ignition: true,
        }
      })
      const requests = [0, 1].map((n) =>
        postTelemetry(nodes[n]?.url ?? '', {
          token: secret,
          body: body.filter((_, i) => i % 2 === n),
        }),
      )
      for (const answer of await Promise.all(requests)) if (answer.status !== 200) failed += 1
      sent += body.length
      await sleep(Math.max(0, began + (tick + 1) * 100 - Date.now()))
    }
    const postedSec = (Date.now() - began) / 1000
    const drainStart = performance.now()
    await waitDrained(db, 120_000)
    const drainSec = (performance.now() - drainStart) / 1000
    isPosting = false
    await sampler
    const sorted = [...lags].sort((a, b) => a - b)

    const result = {
      vehicles: VEHICLES,
      points: POINTS,
      writerPointsPerSec: Math.round(POINTS / writeSec),
      rulesPointsPerSecOneNode: Math.round(POINTS / oneNodeSec),
      rulesToWriterRatio: Number((POINTS / oneNodeSec / (POINTS / writeSec)).toFixed(2)),
      pointsRead: {
        /** Rows read per point while the node worked the backlog off (readback and fold). */
        foldPath: Number((foldRead / POINTS).toFixed(2)),
        /** Marks the fold left to the refresher (none for points in order). */
        foldRepairMarks: foldMarks,
        /** The old path: the same readback, plus the refresher's reads. */
        oldPath: Number(((foldRead + oldRefreshRead) / POINTS).toFixed(2)),
        oldRefresherOnly: Number((oldRefreshRead / POINTS).toFixed(2)),
        ratio: Number(((foldRead + oldRefreshRead) / Math.max(1, foldRead)).toFixed(2)),
        sameTotals: JSON.stringify(foldTotals) === JSON.stringify(oldTotals),
        foldTotals,
        oldTotals,
      },
      twoNodes: {
        offeredPointsPerSec: Math.round(sent / postedSec),
        failedRequests: failed,
        lagSecP50: Number(quantile(sorted, 0.5).toFixed(2)),
        lagSecP99: Number(quantile(sorted, 0.99).toFixed(2)),
        lagSecMax: Number((sorted.at(-1) ?? 0).toFixed(2)),
        drainAfterLastPostSec: Number(drainSec.toFixed(2)),
      },
    }
    if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`)
    else {
      log(`writer (COPY + outbox), no rules running: ${result.writerPointsPerSec} points/s`)
      log(
        `rules, one node, backlog of ${POINTS}: ${result.rulesPointsPerSecOneNode} points/s ` +
          `(${result.rulesToWriterRatio}x the writer)`,
      )
      const r = result.pointsRead
      log(
        `telemetry rows read per point ingested: ${r.foldPath} with the fold (all of it the rules' ` +
          `read back; ${r.foldRepairMarks} marks left to the refresher) vs ${r.oldPath} on the old ` +
          `path (the same read back + ${r.oldRefresherOnly} by the refresher): ${r.ratio}x; ` +
          `bucket totals the same: ${r.sameTotals}`,
      )
      const t = result.twoNodes
      log(
        `two nodes at ${t.offeredPointsPerSec} points/s: lag (oldest unprocessed batch) ` +
          `p50 ${t.lagSecP50} s, p99 ${t.lagSecP99} s, max ${t.lagSecMax} s; ` +
          `drained ${t.drainAfterLastPostSec} s after the last post; ${t.failedRequests} failed requests`,
      )
    }
  } finally {
    await Promise.all(nodes.map((n) => n.stop()))
    await db.close()
    await scratch.drop()
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exit(1)
})
