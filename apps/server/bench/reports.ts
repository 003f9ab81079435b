/**
 * `pnpm bench:reports`: daily summaries for a whole fleet over a month, from the 15-minute
 * activity buckets, against the raw-point fold they replaced, in one run.
 *
 * 1. Starts the real server (own process) on a scratch PostgreSQL database and provisions N
 *    vehicles; writes D days of synthetic driving per vehicle through the ingestion writer
 *    (binary COPY + activity marks, as HTTP ingestion stores them).
 * 2. Baseline: loads every vehicle's raw points and folds them with `summarizeDays`.
 * 3. Catch-up: builds the buckets for everything written (`refreshActivity`, what the server's
 *    background refresher runs), as after an import or an upgrade.
 * 4. `reports.daily` over HTTP for all vehicles and days: the first call (sums the buckets and
 *    stores the day rows), then the median of 3 (reads the day rows), and the median of 3 of the
 *    totals only (`includeDays: false`, what the reports page asks for a fleet). Checks the
 *    figures equal the baseline's.
 *    Then the warm call's parts, each timed on its own: the catch-up check, the day rows, the alert
 *    counts, the drivers' stints, and the answer's JSON (encoding it, and the client's parse).
 * 5. The same days as CSV from `GET /api/reports/daily.csv` (streamed), timed, rows counted.
 * Flags: --vehicles N --days D --interval SEC (seconds between points while driving) --json
 *
 * `--warm-only` (a minute instead of ten): no points; every vehicle-day gets a stored day row
 * straight away, and only the warm calls are timed, each with the server's and this process's
 * CPU time beside the wall time (a fairer figure on a shared machine).
 */

import { parseArgs } from 'node:util'
import { catchUpOrgActivity, refreshActivity } from '@fms/api'
import { createDb } from '@fms/db'
import { countAlertsByPeriod, sumActivityByPeriod } from '@fms/db/queries/activity'
import { findActivityDays, insertActivityDays } from '@fms/db/queries/activity-days'
import { listAssignments } from '@fms/db/queries/drivers'
import { findVehiclePointsSince } from '@fms/db/queries/telemetry'
import { createPostgresSink, type TelemetryInsert, TelemetryWriter } from '@fms/db/telemetry'
import { listDays, roundSummary, summarizeDays } from '@fms/engine'
import { provisionFleet } from '@fms/testkit'
import { startBenchServer } from './bench-server.ts'
import { processCpuSeconds } from './machine.ts'

const { values: args } = parseArgs({
  // `pnpm bench:x -- --flag` hands the script a literal `--`: not a positional argument.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    vehicles: { type: 'string', default: '1000' },
    days: { type: 'string', default: '30' },
    interval: { type: 'string', default: '60' },
    'warm-only': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
})
const VEHICLES = Number(args.vehicles)
const DAYS = Number(args.days)
const INTERVAL_SEC = Number(args.interval)
const DAY_MS = 86_400_000
const log = (message: string) => process.stderr.write(`${message}\n`)

/** Midnight UTC D days before today: whole past days. */
const FIRST_DAY = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAYS * DAY_MS
const dateOf = (time: number) => new Date(time).toISOString().slice(0, 10)

/**
 * One vehicle-day: parked (a heartbeat every 30 min, engine off), two drives of 90 min at
 * 30..90 km/h with the tank draining, a refuel in the afternoon.
 */
function makeDay(
  orgId: string,
  device: { id: string; vehicleId: string },
  day: number,
  seed: number,
) {
  const rows: TelemetryInsert[] = []
  const base = { orgId, deviceId: device.id, vehicleId: device.vehicleId }
  let lat = 48 + (seed % 100) / 50
  const lon = 9 + (seed % 37) / 20
  let fuel = 70
  const start = FIRST_DAY + day * DAY_MS
  const drives = [7 * 3_600_000 + (seed % 60) * 60_000, 15 * 3_600_000 + (seed % 45) * 60_000]
  let time = start
  for (const driveStart of drives) {
    for (; time < start + driveStart; time += 1_800_000) {
      rows.push({ ...base, time, lat, lon, speed: 0, fuel, ignition: false })
    }
    time = start + driveStart
    for (let t = 0; t < 90 * 60_000; t += INTERVAL_SEC * 1000) {
      const speed = 30 + ((t / 60_000 + seed) % 60)
      lat += (speed / 3600 / 111.2) * INTERVAL_SEC
      fuel -= 0.01 * INTERVAL_SEC
      rows.push({ ...base, time: time + t, lat, lon, speed, fuel, rpm: speed * 40, ignition: true })
    }
    time += 90 * 60_000
    fuel += 20
  }
  for (; time < start + DAY_MS; time += 1_800_000) {
    rows.push({ ...base, time, lat, lon, speed: 0, fuel, ignition: false })
  }
  return rows
}

function seconds(started: number) {
  return (performance.now() - started) / 1000
}

/** Stored day rows for every vehicle and day, then the warm calls timed (see `--warm-only`). */
async function warmOnly() {
  const server = await startBenchServer('fms_bench_reports', {
    ACTIVITY_REFRESH_SEC: '3600',
    ALERTS_ENABLED: 'false',
  })
  const db = await createDb({ url: server.databaseUrl })
  try {
    log(`provisioning ${VEHICLES} vehicles`)
    const fleet = await provisionFleet(server.url, { vehicles: VEHICLES })
    const days = listDays(dateOf(FIRST_DAY), dateOf(FIRST_DAY + (DAYS - 1) * DAY_MS), 'UTC')
    log('storing the day rows')
    for (let i = 0; i < fleet.vehicleIds.length; i += 100) {
      const rows = fleet.vehicleIds.slice(i, i + 100).flatMap((vehicleId, v) =>
        days.map((day, d) => ({
          vehicleId,
          start: day.start,
          end: day.end,
          pointCount: 200 + ((v + d) % 50),
          distanceKm: 100 + ((v * 7 + d * 13) % 200) + 0.123,
          movingDistanceKm: 95 + ((v * 7 + d * 13) % 200),
          drivingSec: 10_000 + ((v + d) % 900),
          idleSec: 600 + (d % 60),
          maxSpeed: 80 + (v % 40),
          fuelUsedPct: 10 + (d % 10),
          refuelledPct: d % 7 === 0 ? 40 : 0,
          refuelCount: d % 7 === 0 ? 1 : 0,
          tripCount: 2 + (d % 3),
        })),
      )
      await db.db.transaction((tx) => insertActivityDays(tx, { orgId: fleet.orgId, rows }))
    }
    const range = { from: dateOf(FIRST_DAY), to: dateOf(FIRST_DAY + (DAYS - 1) * DAY_MS) }
    const time = async (includeDays: boolean) => {
      const serverCpu = processCpuSeconds(server.pid)
      const ownCpu = process.cpuUsage()
      const started = performance.now()
      const report = await fleet.api.reports.daily.query({ ...range, includeDays })
      const wallSec = seconds(started)
      const own = process.cpuUsage(ownCpu)
      const serverTo = processCpuSeconds(server.pid)
      if (report.vehicles.length !== VEHICLES) throw new Error('a vehicle is missing')
      return {
        wallSec,
        serverCpuSec: serverCpu === null || serverTo === null ? null : serverTo - serverCpu,
        clientCpuSec: (own.user + own.system) / 1e6,
      }
    }
    await time(true) // the first call warms the server's code paths
    const median = async (includeDays: boolean) => {
      const runs = [await time(includeDays), await time(includeDays), await time(includeDays)]
      return runs.sort((a, b) => a.wallSec - b.wallSec)[1]!
    }
    const everyDay = await median(true)
    const totalsOnly = await median(false)
    const results = { vehicles: VEHICLES, days: DAYS, everyDay, totalsOnly }
    if (args.json) console.log(JSON.stringify(results))
    else {
      const line = (name: string, r: typeof everyDay) =>
        `${name}: ${r.wallSec.toFixed(3)} s (server CPU ${r.serverCpuSec?.toFixed(2) ?? '-'} s, this process's ${r.clientCpuSec.toFixed(2)} s)`
      console.log(`fleet: ${VEHICLES} vehicles x ${DAYS} days, day rows stored (warm only)`)
      console.log(line('reports.daily, every day (median of 3)', everyDay))
      console.log(line('reports.daily, totals and day totals only (median of 3)', totalsOnly))
    }
  } finally {
    await db.close()
    await server.stop('SIGTERM')
  }
}

async function main() {
  if (args['warm-only']) return warmOnly()
  // The background refresher stays out of the way: the bench runs the catch-up itself.
  const server = await startBenchServer('fms_bench_reports', {
    ACTIVITY_REFRESH_SEC: '3600',
    ALERTS_ENABLED: 'false',
    // Writing and folding a big fleet can outlast the default 15 minutes on a busy machine.
    ACCESS_TOKEN_TTL_SEC: '14400',
  })
  const db = await createDb({ url: server.databaseUrl })
  try {
    log(`provisioning ${VEHICLES} vehicles`)
    const fleet = await provisionFleet(server.url, { vehicles: VEHICLES })
    const devices = fleet.deviceIds.map((id, i) => ({ id, vehicleId: fleet.vehicleIds[i]! }))
    const writer = new TelemetryWriter(createPostgresSink(server.databaseUrl), {
      maxBatchRows: 20_000,
      maxQueueRows: 400_000,
    })
    log(`writing ${DAYS} days per vehicle`)
    let rowCount = 0
    const writeStarted = performance.now()
    for (let i = 0; i < devices.length; i++) {
      const rows: TelemetryInsert[] = []
      for (let day = 0; day < DAYS; day++) rows.push(...makeDay(fleet.orgId, devices[i]!, day, i))
      await writer.write(rows)
      rowCount += rows.length
    }
    await writer.close()
    const writeSec = seconds(writeStarted)
    log(`${rowCount} points in ${writeSec.toFixed(1)} s`)

    const fromDate = dateOf(FIRST_DAY)
    const toDate = dateOf(FIRST_DAY + (DAYS - 1) * DAY_MS)
    log('baseline: raw points folded per vehicle')
    const rawStarted = performance.now()
    const raw = new Map<string, ReturnType<typeof summarizeDays>>()
    for (const vehicleId of fleet.vehicleIds) {
      const points = await findVehiclePointsSince(db.db, {
        orgId: fleet.orgId,
        vehicleId,
        from: new Date(FIRST_DAY - 2 * 3_600_000 - 1),
        to: new Date(FIRST_DAY + DAYS * DAY_MS + 2 * 3_600_000),
      })
      raw.set(vehicleId, summarizeDays({ points, fromDate, toDate }))
    }
    const rawSec = seconds(rawStarted)

    const ask = () => fleet.api.reports.daily.query({ from: fromDate, to: toDate })
    log('catch-up: building the buckets for everything written')
    const coldStarted = performance.now()
    await refreshActivity(db.db)
    const coldSec = seconds(coldStarted)
    log('reports.daily over HTTP')
    const warm: number[] = []
    const firstStarted = performance.now()
    let report = await ask()
    const firstSec = seconds(firstStarted)
    if (!report.isUpToDate) throw new Error('the report says the buckets are not up to date')
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      report = await ask()
      warm.push(seconds(started))
    }
    warm.sort((a, b) => a - b)
    const warmSec = warm[1]!
    // The fleet as the reports page asks for it: each vehicle's totals and the fleet's days.
    const totalsOnly: number[] = []
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      await fleet.api.reports.daily.query({ from: fromDate, to: toDate, includeDays: false })
      totalsOnly.push(seconds(started))
    }
    totalsOnly.sort((a, b) => a - b)
    const totalsWarmSec = totalsOnly[1]!
    const bounds = Array.from({ length: DAYS + 1 }, (_, i) => FIRST_DAY + i * DAY_MS)
    const queryStarted = performance.now()
    await sumActivityByPeriod(db.db, { orgId: fleet.orgId, vehicleIds: fleet.vehicleIds, bounds })
    const querySec = seconds(queryStarted)
    const daysStarted = performance.now()
    const days = listDays(fromDate, toDate, 'UTC')
    await findActivityDays(db.db, { orgId: fleet.orgId, vehicleIds: fleet.vehicleIds, days })
    const dayRowsSec = seconds(daysStarted)
    const vehicleIds = fleet.vehicleIds
    const part = async (work: () => Promise<unknown>) => {
      const started = performance.now()
      await work()
      return seconds(started)
    }
    const catchUpCheckSec = await part(() => catchUpOrgActivity(db.db, fleet.orgId))
    const alertCountsSec = await part(() =>
      countAlertsByPeriod(db.db, { orgId: fleet.orgId, vehicleIds, bounds }),
    )
    const stintsSec = await part(() =>
      listAssignments(db.db, {
        orgId: fleet.orgId,
        from: new Date(FIRST_DAY),
        to: new Date(FIRST_DAY + DAYS * DAY_MS),
        limit: 200_000,
      }),
    )
    const encodeStarted = performance.now()
    const body = JSON.stringify({ result: { data: { json: report } } })
    const encodeSec = seconds(encodeStarted)
    const parseStarted = performance.now()
    JSON.parse(body)
    const parseSec = seconds(parseStarted)

    log('daily CSV over HTTP')
    const csvStarted = performance.now()
    const csvAnswer = await fetch(
      `${server.url}/api/reports/daily.csv?${new URLSearchParams({ from: fromDate, to: toDate })}`,
      { headers: { authorization: `Bearer ${fleet.accessToken}` } },
    )
    const csv = await csvAnswer.text()
    const csvSec = seconds(csvStarted)
    const csvRows = csv.split('\r\n').length - 2
    if (csvAnswer.status !== 200 || csvRows !== VEHICLES * DAYS) {
      throw new Error(`daily CSV: status ${csvAnswer.status}, ${csvRows} rows`)
    }

    let mismatches = 0
    for (const vehicle of report.vehicles) {
      const expected = raw.get(vehicle.vehicleId)!.map(roundSummary)
      vehicle.days.forEach((day, i) => {
        const { alertCounts: _a, ...figures } = day
        const { alertCounts: _b, ...want } = expected[i]!
        if (JSON.stringify(figures) !== JSON.stringify(want)) mismatches++
      })
    }
    const vehicleDays = report.vehicles.length * DAYS
    const results = {
      vehicles: VEHICLES,
      days: DAYS,
      points: rowCount,
      writePointsPerSec: Math.round(rowCount / writeSec),
      rawFoldSec: rawSec,
      catchUpSec: coldSec,
      firstCallSec: firstSec,
      bucketWarmSec: warmSec,
      totalsOnlyWarmSec: totalsWarmSec,
      bucketQuerySec: querySec,
      dayRowsQuerySec: dayRowsSec,
      warmParts: {
        catchUpCheckSec,
        dayRowsSec,
        alertCountsSec,
        stintsSec,
        encodeSec,
        clientParseSec: parseSec,
        answerBytes: body.length,
      },
      csvSec,
      csvBytes: csv.length,
      catchUpPointsPerSec: Math.round(rowCount / coldSec),
      speedupWarm: rawSec / warmSec,

      vehicleDays,
      mismatchedDays: mismatches,
    }
    if (args.json) console.log(JSON.stringify(results))
    else {
      console.log(
        `fleet: ${VEHICLES} vehicles x ${DAYS} days = ${vehicleDays} vehicle-days, ${rowCount} points`,
      )
      console.log(`written through the ingestion writer: ${results.writePointsPerSec} points/s`)
      console.log(`baseline raw-point fold (all vehicles): ${rawSec.toFixed(2)} s`)
      console.log(
        `catch-up, building every bucket: ${coldSec.toFixed(2)} s (${results.catchUpPointsPerSec} points/s)`,
      )
      console.log(
        `reports.daily, warm (median of 3): ${warmSec.toFixed(3)} s (${results.speedupWarm.toFixed(1)}x faster than baseline)`,
      )
      console.log(
        `reports.daily, totals and day totals only (the reports page's fleet view, median of 3): ${totalsWarmSec.toFixed(3)} s`,
      )
      console.log(`reports.daily, first call (sums buckets, stores days): ${firstSec.toFixed(3)} s`)
      console.log(`  reading the day rows: ${dayRowsSec.toFixed(3)} s`)
      console.log(
        `  parts, each alone: catch-up check ${catchUpCheckSec.toFixed(3)} s, alert counts ` +
          `${alertCountsSec.toFixed(3)} s, drivers' stints ${stintsSec.toFixed(3)} s, encoding the ` +
          `answer ${encodeSec.toFixed(3)} s, the client's parse ${parseSec.toFixed(3)} s ` +
          `(${(body.length / 1e6).toFixed(1)} MB)`,
      )
      console.log(`  summing the buckets instead (grouped query): ${querySec.toFixed(3)} s`)
      console.log(
        `daily CSV streamed: ${csvSec.toFixed(3)} s, ${(csv.length / 1e6).toFixed(1)} MB, ${csvRows} rows`,
      )
      console.log(`days differing from the raw fold: ${mismatches} of ${vehicleDays}`)
    }
    if (mismatches > 0) process.exitCode = 1
  } finally {
    await db.close()
    await server.stop('SIGTERM')
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
