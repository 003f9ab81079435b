/**
 * `pnpm bench:ingest`: end-to-end ingestion throughput against the physical limit, in one run.
 *
 * 1. Starts the real server (its own process) on a scratch PostgreSQL database.
 * 2. Drives it with concurrent clients posting pre-encoded batches; counts acknowledged rows/s.
 *    Twice: as deployed (rules engine on: each batch one transaction, a binary COPY and its
 *    rules-outbox rows), then with ALERTS_ENABLED=false (binary COPY, no outbox) on an emptied table.
 * 3. Loads the same rows with psql `\copy` into an identically indexed table (the limit).
 * 4. Loads them with Drizzle multi-row INSERT … ON CONFLICT DO NOTHING (what an ORM would do).
 * Prints rows/s for each and the ratios, and for each run the CPU time per row of the server process
 * (and how much of it went to garbage collection, from the server's /metrics) and of PostgreSQL
 * (every `postgres` process on this machine, read from /proc: Linux only), so the remaining gap to
 * `\copy` shows where it is. `\copy` runs three times; the median counts.
 * Flags: --rows N --batch N --clients N --devices N --json
 * --cpu-prof DIR (a V8 CPU profile of each server run, for DevTools)
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { AppRouter } from '@fms/api'
import { transformer } from '@fms/api/transformer'
import { createDb } from '@fms/db'
import { telemetry } from '@fms/db/schema'
import { encodeCopyRows, TELEMETRY_COLUMNS, type TelemetryInsert } from '@fms/db/telemetry'
import { createTRPCClient, httpLink } from '@trpc/client'
import postgres from 'postgres'
import { createScratchDatabase } from './scratch-db.ts'

const { values: args } = parseArgs({
  // `pnpm bench:x -- --flag` hands the script a literal `--`: not a positional argument.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    rows: { type: 'string', default: '500000' },
    batch: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '16' },
    devices: { type: 'string', default: '100' },
    json: { type: 'boolean', default: false },
    // Writes a V8 CPU profile of each server run into this folder (open it in Chrome DevTools).
    'cpu-prof': { type: 'string' },
  },
})
const ROWS = Number(args.rows)
const BATCH = Number(args.batch)
const CLIENTS = Number(args.clients)
const DEVICES = Number(args.devices)
const MAIN = join(dirname(fileURLToPath(import.meta.url)), '../src/main.ts')
const log = (message: string) => process.stderr.write(`${message}\n`)

async function main() {
  const scratch = await createScratchDatabase('fms_bench')
  const dbUrl = scratch.url
  let server: ChildProcess | undefined
  try {
    log(`scratch database ${scratch.name}; starting the server`)
    const started = await startServer(dbUrl)
    server = started.child
    const fleet = await provision(started.url)
    const rows = makeRows(fleet.orgId, fleet.devices)
    const bodies = encodeBodies(rows)
    const batches = bodies.reduce((sum, lane) => sum + lane.length, 0)
    log(`driving ${ROWS} rows in ${batches} batches of up to ${BATCH} with ${CLIENTS} clients`)
    const e2e = await withGc(started.url, () =>
      measured(started.child.pid, () => drive(started.url, fleet.secret, bodies)),
    )
    const stored = await countRows(dbUrl, 'telemetry')
    if (stored !== ROWS) throw new Error(`expected ${ROWS} stored rows, found ${stored}`)
    await stopServer(server)
    log('the same rows again with the rules engine off (binary COPY, no outbox)')
    await emptyTelemetry(dbUrl)
    const plain = await startServer(dbUrl, { ALERTS_ENABLED: 'false' })
    server = plain.child
    const e2eCopy = await withGc(plain.url, () =>
      measured(plain.child.pid, () => drive(plain.url, fleet.secret, bodies)),
    )
    const storedAgain = await countRows(dbUrl, 'telemetry')
    if (storedAgain !== ROWS) throw new Error(`expected ${ROWS} stored rows, found ${storedAgain}`)
    await stopServer(server)
    server = undefined
    log('psql \\copy of the same rows into an identically indexed table')
    const copy = await psqlCopy(dbUrl, rows)
    log('Drizzle multi-row INSERT … ON CONFLICT DO NOTHING (an ORM approach)')
    const orm = await ormInsert(dbUrl, rows)
    report({ e2e, e2eCopy, copy, orm })
  } finally {
    server?.kill('SIGKILL')
    await scratch.drop()
  }
}

const CLOCK_TICKS_PER_SEC = Number(
  spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100,
)

/** CPU seconds (user + system) a process has used so far, from /proc; 0 where there is none. */
function cpuSecondsOf(pid: number | string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command (which may hold spaces) in parentheses: utime is the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SEC
  } catch {
    return 0
  }
}

/** CPU seconds of every PostgreSQL process on this machine, per pid. */
function postgresCpu(): Map<string, number> {
  const byPid = new Map<string, number>()
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue
      byPid.set(pid, cpuSecondsOf(pid))
    } catch {}
  }
  return byPid
}

/**
 * Runs `run` and adds the CPU seconds the server (`pid`) and PostgreSQL spent meanwhile.
 * PostgreSQL's processes are sampled every 100 ms, so a backend that ends during the run (psql's)
 * still counts, up to its last sample.
 */
async function measured<T extends { rows: number }>(
  pid: number | undefined,
  run: () => Promise<T>,
): Promise<T & { serverCpuSec: number; postgresCpuSec: number }> {
  const serverBefore = pid === undefined ? 0 : cpuSecondsOf(pid)
  const before = postgresCpu()
  const latest = new Map(before)
  const sample = () => {
    for (const [each, seconds] of postgresCpu()) latest.set(each, seconds)
  }
  const sampler = setInterval(sample, 100)
  try {
    const result = await run()
    sample()
    const serverCpuSec = pid === undefined ? 0 : cpuSecondsOf(pid) - serverBefore
    let postgresCpuSec = 0
    for (const [each, seconds] of latest) postgresCpuSec += seconds - (before.get(each) ?? 0)
    return { ...result, serverCpuSec, postgresCpuSec }
  } finally {
    clearInterval(sampler)
  }
}

/** The server's /metrics answers with this token (the bench reads its GC time there). */
const METRICS_TOKEN = randomBytes(24).toString('hex')

/** Seconds the server's main thread has spent in garbage collection (prom-client's gc histogram). */
async function gcSecondsOf(url: string): Promise<number> {
  const res = await fetch(new URL('/metrics', url), {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  })
  let seconds = 0
  for (const line of (await res.text()).split('\n')) {
    if (line.startsWith('fms_nodejs_gc_duration_seconds_sum'))
      seconds += Number(line.split(' ').at(-1))
  }
  return seconds
}

/** Runs `run` and adds the GC seconds the server spent meanwhile. */
async function withGc<T>(url: string, run: () => Promise<T>): Promise<T & { gcSec: number }> {
  const before = await gcSecondsOf(url)
  const result = await run()
  return { ...result, gcSec: (await gcSecondsOf(url)) - before }
}

/** Microseconds of CPU per row. */
function perRowUs(cpuSec: number, rows: number): number {
  return +((cpuSec * 1e6) / rows).toFixed(1)
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

/** Empties what the first run stored, so the second stores the same rows as new. */
async function emptyTelemetry(databaseUrl: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  await sql`truncate telemetry, rule_outbox, activity_dirty`
  await sql.end()
}

function startServer(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const profile = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : []
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', MAIN], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: randomBytes(32).toString('hex'),
      INGEST_RATE_LIMIT: '0',
      METRICS_TOKEN,
      FMS_WEB_DIST: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)))
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /"server listening","url":"([^"]+)"/.exec(output)
      if (match?.[1]) resolve({ child, url: match[1] })
    })
  })
}

async function provision(url: string) {
  const email = `bench-${randomBytes(4).toString('hex')}@example.com`
  const anon = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${url}/trpc`, transformer })],
  })
  const session = await anon.auth.register.mutate({
    email,
    password: 'benchmark!',
    orgName: 'Bench',
  })
  if (session.status !== 'signed_in') throw new Error('Run the benchmark with email off')
  const trpc = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/trpc`,
        transformer,
        headers: { authorization: `Bearer ${session.accessToken}` },
      }),
    ],
  })
  const token = await trpc.tokens.create.mutate({ title: 'bench' })
  const devices: { id: string; vehicleId: string }[] = []
  for (let i = 0; i < DEVICES; i++) {
    const vin = `1BENCH${String(i).padStart(11, '0')}`.replace(/[IOQ]/g, '0')
    const vehicle = await trpc.vehicles.create.mutate({ code: `B${i}`, vin })
    const device = await trpc.devices.create.mutate({ vehicleId: vehicle.id, tokenId: token.id })
    devices.push({ id: device.id, vehicleId: vehicle.id })
  }
  return { orgId: session.user.orgId, secret: token.secret, devices }
}

/** ROWS points spread over the devices, one per second each, ending a minute ago. */
function makeRows(orgId: string, devices: { id: string; vehicleId: string }[]): TelemetryInsert[] {
  const perDevice = Math.ceil(ROWS / devices.length)
  const start = Date.now() - 60_000 - perDevice * 1000
  const rows: TelemetryInsert[] = []
  for (let i = 0; rows.length < ROWS; i++) {
    for (const device of devices) {
      if (rows.length >= ROWS) break
      rows.push({
        time: start + i * 1000,
        orgId,
        deviceId: device.id,
        vehicleId: device.vehicleId,
        lat: 52.52 + Math.sin(i / 100) / 100,
        lon: 13.405 + Math.cos(i / 100) / 100,
        speed: (i * 7) % 120,
        heading: (i * 13) % 360,
        altitude: 34,
        rpm: 800 + ((i * 37) % 3000),
        fuel: 80 - (i % 50),
        engineLoad: (i * 3) % 100,
        coolantTemp: 85 + (i % 10),
        odometer: 10_000 + i / 10,
        ignition: true,
      })
    }
  }
  return rows
}

/**
 * Request bodies in the device wire format, encoded before the clock starts, in lanes: each lane
 * a few devices' points in time order. A lane has one request in flight at a time, as a device (or
 * a gateway forwarding a few) waits for its answer before it sends the next, so every device's
 * points arrive in order; 16 clients sending one device's points at once would make the rules
 * engine replay history for points that only look late.
 */
function encodeBodies(rows: TelemetryInsert[]): Buffer[][] {
  const laneCount = Math.max(1, Math.min(DEVICES, CLIENTS * 2))
  const laneOf = new Map<string, number>()
  const laneRows: TelemetryInsert[][] = Array.from({ length: laneCount }, () => [])
  for (const row of rows) {
    let lane = laneOf.get(row.deviceId)
    if (lane === undefined) {
      lane = laneOf.size % laneCount
      laneOf.set(row.deviceId, lane)
    }
    laneRows[lane]?.push(row)
  }
  return laneRows.map((list) => {
    const bodies: Buffer[] = []
    for (let from = 0; from < list.length; from += BATCH) {
      const batch = list.slice(from, from + BATCH).map((r) => ({
        device_id: r.deviceId,
        time: r.time,
        lat: r.lat,
        lon: r.lon,
        speed: r.speed,
        heading: r.heading,
        altitude: r.altitude,
        rpm: r.rpm,
        fuel: r.fuel,
        engine_load: r.engineLoad,
        coolant_temp: r.coolantTemp,
        odometer: r.odometer,
        ignition: r.ignition,
      }))
      bodies.push(Buffer.from(JSON.stringify(batch)))
    }
    return bodies
  })
}

async function drive(url: string, secret: string, lanes: Buffer[][]) {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS })
  const { hostname, port } = new URL(url)
  // Each lane's next body; a lane being sent is taken out of `idle` until its answer.
  const cursor = lanes.map(() => 0)
  const idle = new Set(lanes.keys())
  /** The idle lane with the most left to send (so the run ends with every client busy). */
  const takeLane = () => {
    let best: number | undefined
    for (const lane of idle) {
      const left = (lanes[lane]?.length ?? 0) - (cursor[lane] ?? 0)
      if (
        left > 0 &&
        (best === undefined || left > (lanes[best]?.length ?? 0) - (cursor[best] ?? 0))
      )
        best = lane
    }
    if (best !== undefined) idle.delete(best)
    return best
  }
  let accepted = 0
  let retries = 0
  const latencies: number[] = []
  const post = (body: Buffer) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          agent,
          hostname,
          port,
          path: '/api/telemetry',
          method: 'POST',
          headers: {
            authorization: `Bearer ${secret}`,
            'content-type': 'application/json',
            'content-length': body.length,
          },
        },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            text += chunk
          })
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let lane = takeLane(); lane !== undefined; lane = takeLane()) {
        const body = lanes[lane]![cursor[lane]!]!
        for (let attempt = 0; ; attempt++) {
          const t0 = performance.now()
          const { status, text } = await post(body)
          latencies.push(performance.now() - t0)
          if (status === 200) {
            accepted += (JSON.parse(text) as { accepted: number }).accepted
            break
          }
          if (status !== 503 || attempt > 20) throw new Error(`ingest answered ${status}: ${text}`)
          retries++
          await new Promise((r) => setTimeout(r, 50))
        }
        cursor[lane] = (cursor[lane] ?? 0) + 1
        idle.add(lane)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
  return {
    rows: accepted,
    seconds,
    rowsPerSec: accepted / seconds,
    retries,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
  }
}

/**
 * psql `\copy` of the rows (text format, from a file) into an identically indexed table: the
 * limit. Three loads into a fresh table each, the median kept (one load is as noisy as this
 * machine). psql runs asynchronously so the PostgreSQL CPU sampler keeps running meanwhile.
 */
async function psqlCopy(dbUrl: string, rows: TelemetryInsert[]) {
  const file = join(tmpdir(), `fms-bench-${randomBytes(4).toString('hex')}.copy`)
  writeFileSync(file, encodeCopyRows(rows))
  const columns = TELEMETRY_COLUMNS.join(', ')
  const runs: Measured<{ rows: number; seconds: number; rowsPerSec: number }>[] = []
  try {
    for (let run = 0; run < 3; run++) {
      const sql = postgres(dbUrl, { max: 1, onnotice: () => {} })
      await sql.unsafe('drop table if exists telemetry_copy_baseline')
      await sql.unsafe('create table telemetry_copy_baseline (like telemetry including all)')
      await sql.end()
      const load = async () => {
        const started = performance.now()
        await runPsql(dbUrl, `\\copy telemetry_copy_baseline (${columns}) from '${file}'`)
        const seconds = (performance.now() - started) / 1000
        const stored = await countRows(dbUrl, 'telemetry_copy_baseline')
        return { rows: stored, seconds, rowsPerSec: stored / seconds }
      }
      runs.push(await measured(undefined, load))
    }
  } finally {
    rmSync(file, { force: true })
  }
  runs.sort((a, b) => a.rowsPerSec - b.rowsPerSec)
  return runs[1] as (typeof runs)[number]
}

function runPsql(dbUrl: string, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-c', command], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`psql failed (${code}): ${stderr}`)),
    )
  })
}

async function ormInsert(dbUrl: string, rows: TelemetryInsert[]) {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} })
  await sql.unsafe('alter table telemetry rename to telemetry_ingested')
  await sql.unsafe('create table telemetry (like telemetry_ingested including all)')
  await sql.end()
  const handle = await createDb({ url: dbUrl, maxConnections: 4 })
  const subset = rows.slice(0, Math.min(rows.length, 200_000))
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < subset.length) {
        const from = next
        next += BATCH
        const values = subset
          .slice(from, from + BATCH)
          .map((r) => ({ ...r, time: new Date(r.time) }))
        await handle.db.insert(telemetry).values(values).onConflictDoNothing()
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  await handle.close()
  return { rows: subset.length, seconds, rowsPerSec: subset.length / seconds }
}

async function countRows(dbUrl: string, table: string): Promise<number> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} })
  const [row] = await sql.unsafe(`select count(*)::int as n from ${table}`)
  await sql.end()
  return Number(row?.n)
}

type Measured<T> = T & { serverCpuSec: number; postgresCpuSec: number }

function report(results: {
  e2e: Measured<Awaited<ReturnType<typeof drive>>> & { gcSec: number }
  e2eCopy: Measured<Awaited<ReturnType<typeof drive>>> & { gcSec: number }
  copy: Measured<Awaited<ReturnType<typeof psqlCopy>>>
  orm: Awaited<ReturnType<typeof ormInsert>>
}) {
  const { e2e, e2eCopy, copy, orm } = results
  const summary = {
    rows: ROWS,
    batch: BATCH,
    clients: CLIENTS,
    devices: DEVICES,
    endToEnd: {
      rowsPerSec: Math.round(e2e.rowsPerSec),
      seconds: +e2e.seconds.toFixed(2),
      p50Ms: +e2e.p50Ms.toFixed(1),
      p99Ms: +e2e.p99Ms.toFixed(1),
      retries: e2e.retries,
      serverCpuUsPerRow: perRowUs(e2e.serverCpuSec, e2e.rows),
      serverGcUsPerRow: perRowUs(e2e.gcSec, e2e.rows),
      postgresCpuUsPerRow: perRowUs(e2e.postgresCpuSec, e2e.rows),
    },
    endToEndRulesOff: {
      rowsPerSec: Math.round(e2eCopy.rowsPerSec),
      seconds: +e2eCopy.seconds.toFixed(2),
      p50Ms: +e2eCopy.p50Ms.toFixed(1),
      p99Ms: +e2eCopy.p99Ms.toFixed(1),
      serverCpuUsPerRow: perRowUs(e2eCopy.serverCpuSec, e2eCopy.rows),
      serverGcUsPerRow: perRowUs(e2eCopy.gcSec, e2eCopy.rows),
      postgresCpuUsPerRow: perRowUs(e2eCopy.postgresCpuSec, e2eCopy.rows),
    },
    psqlCopy: {
      rowsPerSec: Math.round(copy.rowsPerSec),
      seconds: +copy.seconds.toFixed(2),
      postgresCpuUsPerRow: perRowUs(copy.postgresCpuSec, copy.rows),
    },
    ormInsert: {
      rowsPerSec: Math.round(orm.rowsPerSec),
      seconds: +orm.seconds.toFixed(2),
      rows: orm.rows,
    },
    ratioEndToEndVsCopy: +(e2e.rowsPerSec / copy.rowsPerSec).toFixed(3),
    ratioEndToEndRulesOffVsCopy: +(e2eCopy.rowsPerSec / copy.rowsPerSec).toFixed(3),
    ratioOrmVsCopy: +(orm.rowsPerSec / copy.rowsPerSec).toFixed(3),
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`)
    return
  }
  const line = (name: string, rps: number, extra = '') =>
    `${name.padEnd(44)} ${String(Math.round(rps)).padStart(9)} rows/s ${extra}`
  process.stdout.write(
    [
      `ingest benchmark: ${ROWS} rows, batches of ${BATCH}, ${CLIENTS} clients, ${DEVICES} devices`,
      line(
        'end to end, rules on (COPY + outbox, one txn)',
        e2e.rowsPerSec,
        `p50 ${summary.endToEnd.p50Ms} ms, p99 ${summary.endToEnd.p99Ms} ms per request`,
      ),
      line(
        'end to end, rules off (group binary COPY)',
        e2eCopy.rowsPerSec,
        `p50 ${summary.endToEndRulesOff.p50Ms} ms, p99 ${summary.endToEndRulesOff.p99Ms} ms per request`,
      ),
      line('psql \\copy (same rows, same indexes; median of 3)', copy.rowsPerSec),
      `CPU per row, µs:  server ${summary.endToEnd.serverCpuUsPerRow} (GC ${summary.endToEnd.serverGcUsPerRow}) + PostgreSQL ${summary.endToEnd.postgresCpuUsPerRow} (rules on); ` +
        `server ${summary.endToEndRulesOff.serverCpuUsPerRow} (GC ${summary.endToEndRulesOff.serverGcUsPerRow}) + PostgreSQL ${summary.endToEndRulesOff.postgresCpuUsPerRow} (rules off); ` +
        `PostgreSQL ${summary.psqlCopy.postgresCpuUsPerRow} (\\copy)`,
      line('Drizzle multi-row INSERT ON CONFLICT', orm.rowsPerSec, `(${orm.rows} rows)`),
      `ratio end-to-end / \\copy: ${summary.ratioEndToEndVsCopy} (rules off: ${summary.ratioEndToEndRulesOffVsCopy})`,
      `ratio ORM INSERT / \\copy: ${summary.ratioOrmVsCopy}`,
      '',
    ].join('\n'),
  )
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
