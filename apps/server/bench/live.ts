/**
 * `pnpm bench:live`: ingest-to-subscriber latency and deliveries per second.
 *
 * Starts the real server (own process, PostgreSQL scratch database), opens N WebSocket
 * subscribers to `telemetry.live` (speaking tRPC's WebSocket protocol directly, so the load
 * generator's own parsing stays small), and posts points at a fixed rate, each stamped with the
 * time it was sent. Latency = arrival at a subscriber - that stamp (send, commit, publish, frame,
 * socket). Subscribers take the compact frames the web app takes (`--format points` for the plain
 * ones). Flags: --subscribers N --rate POINTS_PER_SEC --vehicles N --seconds S --format F
 * --flush-ms MS --coalesce-ms MS (the hub's frame spacing and coalescing window) --json
 *
 * Also printed, so runs on a shared machine can be compared: how busy the machine was before the
 * run and during it, and where the time went, stage by stage (the server's own histograms from
 * `/metrics`, and the time to the ingest answer as the load generator saw it).
 */
import { parseArgs } from 'node:util'
import { type CompactLiveFrame, decodeCompactFrame, LIVE_HUB_DEFAULTS } from '@fms/live'
import { provisionFleet } from '@fms/testkit'
import WebSocket from 'ws'
import { startBenchServer } from './bench-server.ts'
import {
  gaugeValue,
  histogramMean,
  histogramQuantile,
  machineLoad,
  measureIdleBaseline,
  processCpuSeconds,
} from './machine.ts'

const { values: args } = parseArgs({
  // `pnpm bench:x -- --flag` hands the script a literal `--`: not a positional argument.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    subscribers: { type: 'string', default: '100' },
    rate: { type: 'string', default: '10000' },
    vehicles: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '15' },
    'flush-ms': { type: 'string', default: String(LIVE_HUB_DEFAULTS.flushMs) },
    'coalesce-ms': { type: 'string', default: String(LIVE_HUB_DEFAULTS.coalesceMs) },
    format: { type: 'string', default: 'compact' },
    json: { type: 'boolean', default: false },
  },
})
const SUBSCRIBERS = Number(args.subscribers)
const RATE = Number(args.rate)
const VEHICLES = Number(args.vehicles)
const SECONDS = Number(args.seconds)
const TICK_MS = 50
const log = (message: string) => process.stderr.write(`${message}\n`)

const FORMAT = args.format === 'points' ? 'points' : 'compact'

interface Subscriber {
  socket: WebSocket
  frames: number
  bytes: number
}

/** How long the machine is watched, idle of ours, before the run. */
const BASELINE_MS = 2000

async function main() {
  const baselineBusy = await measureIdleBaseline(BASELINE_MS)
  const server = await startBenchServer('fms_bench_live', {
    LIVE_FLUSH_MS: args['flush-ms'],
    LIVE_COALESCE_MS: args['coalesce-ms'],
    // Every subscriber is the same user from the same address.
    WS_MAX_CONNECTIONS_PER_IP: '1000000',
    WS_MAX_SUBSCRIPTIONS_PER_USER: '1000000',
  })
  const latencies: number[] = []
  const ackLatencies: number[] = []
  const load = machineLoad()
  let deliveries = 0
  let isMeasuring = false
  const subscribers: Subscriber[] = []
  try {
    log(`provisioning ${VEHICLES} vehicles`)
    const fleet = await provisionFleet(server.url, { vehicles: VEHICLES })
    const { accessToken } = fleet
    log(`opening ${SUBSCRIBERS} subscribers`)
    for (let i = 0; i < SUBSCRIBERS; i++) {
      subscribers.push(
        await subscribe(server.url, accessToken, (sentAt, count) => {
          if (!isMeasuring) return
          deliveries += count
          const now = Date.now()
          for (const time of sentAt) latencies.push(now - time)
        }),
      )
    }
    log(`posting ${RATE} points/s for ${SECONDS} s`)
    const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000))
    let sent = 0
    let failed = 0
    // Read once so the server's event-loop lag gauges start from here.
    await server.metrics()
    load.start()
    const serverCpuFrom = processCpuSeconds(server.pid)
    const ownCpuFrom = process.cpuUsage()
    const started = Date.now()
    isMeasuring = true
    let tick = 0
    // Milliseconds one tick's points span per device (see `time` below), and the last tick's time.
    const spanMs = Math.ceil(perTick / VEHICLES)
    let lastTickAt = 0
    while (Date.now() - started < SECONDS * 1000) {
      // A tick running late must not reuse the last tick's instants: wait them out (a few ms).
      while (Date.now() < lastTickAt + spanMs) await new Promise((resolve) => setImmediate(resolve))
      const now = Date.now()
      lastTickAt = now
      const points = Array.from({ length: perTick }, (_, i) => {
        const k = sent + i
        return {
          device_id: fleet.deviceIds[k % VEHICLES],
          // A device reports each instant once: its points in one tick a millisecond apart
          // (the same time twice is a duplicate the server stores once). Stamped earlier, never
          // later, than sent, so the latency measured is at most a few ms too long.
          time: now - Math.floor(i / VEHICLES),
          lat: 52.5 + (k % 97) / 1000,
          lon: 13.4 + (k % 89) / 1000,
          speed: k % 120,
        }
      })
      sent += points.length
      const postedAt = Date.now()
      void fetch(`${server.url}/api/telemetry`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${fleet.token.secret}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(points),
      }).then(
        (res) => {
          if (!res.ok) failed++
          else ackLatencies.push(Date.now() - postedAt)
          return res.arrayBuffer()
        },
        () => failed++,
      )
      tick++
      const next = started + tick * TICK_MS
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())))
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
    isMeasuring = false
    const runBusy = load.busy()
    const elapsed = (Date.now() - started) / 1000
    const serverCpuTo = processCpuSeconds(server.pid)
    const ownCpu = process.cpuUsage(ownCpuFrom)
    // Share of one core, over the run.
    const coreShare = (seconds: number | null) =>
      seconds === null ? null : Math.round((seconds / elapsed) * 100)
    const metrics = await server.metrics()
    latencies.sort((a, b) => a - b)
    ackLatencies.sort((a, b) => a - b)
    const pct = (p: number) => quantile(latencies, p)
    const ms = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1000))
    const stage = (name: string) => ({
      mean: ms(histogramMean(metrics, name)),
      p99: ms(histogramQuantile(metrics, name, 0.99)),
    })
    const frames = subscribers.reduce((sum, s) => sum + s.frames, 0)
    const bytes = subscribers.reduce((sum, s) => sum + s.bytes, 0)
    const summary = {
      subscribers: SUBSCRIBERS,
      vehicles: VEHICLES,
      pointsPerSec: Math.round(sent / elapsed),
      failedRequests: failed,
      deliveriesPerSec: Math.round(deliveries / elapsed),
      framesPerSec: Math.round(frames / elapsed),
      format: FORMAT,
      bytesPerDelivery: deliveries > 0 ? Math.round(bytes / deliveries) : null,
      latencyMs: {
        p50: pct(0.5),
        p90: pct(0.9),
        p95: pct(0.95),
        p99: pct(0.99),
        max: latencies.at(-1) ?? Number.NaN,
      },
      machine: {
        cores: load.cores,
        busyBefore: baselineBusy === null ? null : Math.round(baselineBusy * 100),
        busyDuring: runBusy === null ? null : Math.round(runBusy * 100),
        serverCpu: coreShare(
          serverCpuTo === null || serverCpuFrom === null ? null : serverCpuTo - serverCpuFrom,
        ),
        loadGeneratorCpu: coreShare((ownCpu.user + ownCpu.system) / 1e6),
      },
      // Where the time goes, in order along the path (ms; server stages from its histograms,
      // p99 interpolated within a bucket).
      stagesMs: {
        ingestAnswer: { p50: quantile(ackLatencies, 0.5), p99: quantile(ackLatencies, 0.99) },
        batchWait: stage('fms_ingest_batch_wait_seconds'),
        commit: stage('fms_ingest_commit_seconds'),
        frameWait: stage('fms_live_frame_wait_seconds'),
        sendDelay: stage('fms_live_send_delay_seconds'),
        serverEventLoopLagP99: ms(gaugeValue(metrics, 'fms_nodejs_eventloop_lag_p99_seconds')),
      },
      // Batches stored through the duplicate-tolerant insert instead of the plain COPY.
      duplicatePathBatches: gaugeValue(metrics, 'fms_ingest_duplicate_path_batches_total'),
    }
    const stages = summary.stagesMs
    const meanP99 = (s: { mean: number | null; p99: number | null }) =>
      `mean ${s.mean ?? '-'} / p99 ${s.p99 ?? '-'} ms`
    if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`)
    else {
      process.stdout.write(
        [
          `live benchmark: ${SUBSCRIBERS} subscribers, ${VEHICLES} vehicles, ${summary.pointsPerSec} points/s ingested (${failed} failed requests)`,
          `deliveries: ${summary.deliveriesPerSec} points/s to subscribers, ${summary.framesPerSec} frames/s (${FORMAT} frames, ${summary.bytesPerDelivery ?? '-'} bytes per point delivered)`,
          `ingest-to-subscriber latency: p50 ${summary.latencyMs.p50} ms, p90 ${summary.latencyMs.p90} ms, p95 ${summary.latencyMs.p95} ms, p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms`,
          `machine: ${summary.machine.cores} cores, ${summary.machine.busyBefore ?? '-'} % busy before the run (others), ${summary.machine.busyDuring ?? '-'} % during it; server ${summary.machine.serverCpu ?? '-'} % of a core, load generator and subscribers ${summary.machine.loadGeneratorCpu} %`,
          'stages:',
          `  post -> 200 answer (parse, batch wait, commit): p50 ${stages.ingestAnswer.p50} / p99 ${stages.ingestAnswer.p99} ms`,
          `  batch wait for a connection: ${meanP99(stages.batchWait)}`,
          `  commit (COPY + transaction): ${meanP99(stages.commit)}`,
          `  commit -> frame built (hub coalescing): ${meanP99(stages.frameWait)}`,
          `  frame built -> handed to a socket: ${meanP99(stages.sendDelay)}`,
          `  server event-loop lag p99: ${stages.serverEventLoopLagP99 ?? '-'} ms`,
          `batches stored through the duplicate-tolerant path: ${summary.duplicatePathBatches ?? '-'}`,
          '',
        ].join('\n'),
      )
    }
  } finally {
    for (const s of subscribers) s.socket.terminate()
    await server.stop('SIGKILL')
  }
}

/** The `p` quantile of sorted `values` (NaN when empty). */
function quantile(values: readonly number[], p: number): number {
  return values[Math.min(values.length - 1, Math.floor(p * values.length))] ?? Number.NaN
}

/** A `telemetry.live` subscription over tRPC's WebSocket protocol, parsed with plain JSON. */
function subscribe(
  url: string,
  token: string,
  onPoints: (sentAt: number[], count: number) => void,
): Promise<Subscriber> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/trpc?connectionParams=1`)
  const subscriber: Subscriber = { socket, frames: 0, bytes: 0 }
  const keys = new Map<number, { vehicleId: string | null; deviceId: string }>()
  return new Promise((resolve, reject) => {
    socket.once('error', reject)
    socket.once('open', () => {
      socket.send(JSON.stringify({ method: 'connectionParams', data: { token } }))
      socket.send(
        JSON.stringify({
          id: 1,
          method: 'subscription',
          params: { path: 'telemetry.live', input: { json: { format: FORMAT } } },
        }),
      )
      resolve(subscriber)
    })
    socket.on('message', (data: Buffer) => {
      subscriber.bytes += data.length
      const message = JSON.parse(String(data)) as {
        result?: {
          type: string
          data?: { json?: { data?: { points?: { time: number }[] } & Partial<CompactLiveFrame> } }
        }
      }
      const frame = message.result?.data?.json?.data
      const points =
        frame?.c === 1 ? decodeCompactFrame(frame as CompactLiveFrame, keys) : frame?.points
      if (!points) return
      subscriber.frames++
      onPoints(
        points.map((p) => p.time),
        points.length,
      )
    })
  })
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
