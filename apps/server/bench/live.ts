/**
 * `pnpm bench:live`: ingest-to-subscriber latency and deliveries per second.
 *
 * Starts the real server (own process, PostgreSQL scratch database), opens N WebSocket
 * subscribers to `telemetry.live` (speaking tRPC's WebSocket protocol directly, so the load
 * generator's own parsing stays small), and posts points at a fixed rate, each stamped with the
 * time it was sent. Latency = arrival at a subscriber - that stamp (send, commit, publish, frame,
 * socket). Subscribers take the compact frames the web app takes (`--format points` for the plain
 * ones). Flags: --subscribers N --rate POINTS_PER_SEC --vehicles N --seconds S --format F --json
 */
import { parseArgs } from 'node:util'
import { type CompactLiveFrame, decodeCompactFrame } from '@fms/live'
import { provisionFleet } from '@fms/testkit'
import WebSocket from 'ws'
import { startBenchServer } from './bench-server.ts'

const { values: args } = parseArgs({
  // `pnpm bench:x -- --flag` hands the script a literal `--`: not a positional argument.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    subscribers: { type: 'string', default: '100' },
    rate: { type: 'string', default: '10000' },
    vehicles: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '15' },
    'flush-ms': { type: 'string', default: '100' },
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

async function main() {
  const server = await startBenchServer('fms_bench_live', {
    LIVE_FLUSH_MS: args['flush-ms'],
    // Every subscriber is the same user from the same address.
    WS_MAX_CONNECTIONS_PER_IP: '1000000',
    WS_MAX_SUBSCRIPTIONS_PER_USER: '1000000',
  })
  const latencies: number[] = []
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
    const started = Date.now()
    isMeasuring = true
    let tick = 0
    while (Date.now() - started < SECONDS * 1000) {
      const now = Date.now()
      const points = Array.from({ length: perTick }, (_, i) => {
        const k = sent + i
        return {
          device_id: fleet.deviceIds[k % VEHICLES],
          time: now,
          lat: 52.5 + (k % 97) / 1000,
          lon: 13.4 + (k % 89) / 1000,
          speed: k % 120,
        }
      })
      sent += points.length
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
    const elapsed = (Date.now() - started) / 1000
    latencies.sort((a, b) => a - b)
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN
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
        p99: pct(0.99),
        max: latencies.at(-1) ?? Number.NaN,
      },
    }
    if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`)
    else {
      process.stdout.write(
        [
          `live benchmark: ${SUBSCRIBERS} subscribers, ${VEHICLES} vehicles, ${summary.pointsPerSec} points/s ingested (${failed} failed requests)`,
          `deliveries: ${summary.deliveriesPerSec} points/s to subscribers, ${summary.framesPerSec} frames/s (${FORMAT} frames, ${summary.bytesPerDelivery ?? '-'} bytes per point delivered)`,
          `ingest-to-subscriber latency: p50 ${summary.latencyMs.p50} ms, p90 ${summary.latencyMs.p90} ms, p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms`,
          '',
        ].join('\n'),
      )
    }
  } finally {
    for (const s of subscribers) s.socket.terminate()
    await server.stop('SIGKILL')
  }
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
