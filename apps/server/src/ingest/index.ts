import type { DbHandle } from '@fms/db'
import {
  CommittedBatches,
  createPgliteSink,
  createPostgresSink,
  TelemetryWriter,
} from '@fms/db/telemetry'
import type { LiveHub } from '@fms/live'
import { RulesWorker } from '../alerts/rules-worker.ts'
import { createCommandDelivery } from '../commands/delivery.ts'
import type { ClientAddress } from '../context.ts'
import type { ServerConfig } from '../env.ts'
import { createMetrics } from '../metrics.ts'
import { DeviceAuthenticator } from './device-auth.ts'
import { createIngestHandler } from './handler.ts'
import { startMqttIngest } from './mqtt.ts'
import { createOsmandHandler } from './osmand.ts'
import { publishCommitted } from './publish.ts'
import { IngestRateLimits } from './rate-limits.ts'
import { TokenBuckets } from './token-bucket.ts'

/** Points kept for the rules engine (about 300 bytes each): a few full batches. */
const COMMITTED_POINTS = 200_000

/** The ingestion side of a server: writer, device authentication, rate limits, metrics. */
export function createIngestion(
  config: ServerConfig,
  db: DbHandle,
  live: LiveHub,
  clientAddress: ClientAddress,
) {
  let writer: TelemetryWriter | undefined
  const metrics = createMetrics(() => writer?.queueDepth ?? 0)
  // The batches this node commits, kept for its rules engine until it has taken their points
  // (those of the shards it holds only); a few batches' worth at most.
  const committed: CommittedBatches | undefined = config.alerts
    ? new CommittedBatches({
        maxPoints: COMMITTED_POINTS,
        wants: (shard: number): boolean => alerts?.holds(shard) ?? false,
      })
    : undefined
  const alerts: RulesWorker | undefined = config.alerts
    ? new RulesWorker(db.db, live, {
        ...config.alerts,
        isEmailEnabled: config.email !== undefined,
        committed,
        onBacklog: (backlog) => metrics.observeRulesBacklog(backlog),
      })
    : undefined
  const sink = createSink(config, db, committed)
  alerts?.start()
  writer = new TelemetryWriter(sink, {
    maxQueueRows: config.ingest.maxQueueRows,
    maxBatchRows: config.ingest.maxBatchRows,
    writeTimeoutMs: config.ingest.writeTimeoutMs,
    onBatch: (stats) => metrics.observeBatch(stats),
    // Subscribers see a point only once it is committed. The rules engine reads the committed
    // points from the outbox the batch wrote; the nudge only saves it a pause.
    onCommit: (rows) => {
      publishCommitted(live, rows)
      alerts?.nudge()
    },
  })
  const auth = new DeviceAuthenticator(db.db, {
    ttlMs: config.ingest.tokenCacheMs,
    flushMs: 30_000,
  })
  let mqttIngest: Awaited<ReturnType<typeof startMqttIngest>> | undefined
  const handlerDeps = {
    writer,
    commands: createCommandDelivery(db.db),
    auth,
    metrics,
    rateLimits: new IngestRateLimits(config.ingest.ratePerSec),
    anonymousRateLimit: new TokenBuckets(
      config.ingest.anonymousRatePerSec,
      config.ingest.anonymousRatePerSec * 2,
    ),
    clientAddress,
    limits: config.ingest,
  }
  return {
    handler: createIngestHandler(handlerDeps),
    osmand: createOsmandHandler(handlerDeps),
    deps: handlerDeps,
    metrics,
    writer,
    auth,
    /** The rules engine on this node's shards of the committed stream (undefined when ALERTS_ENABLED=false). */
    alerts,
    /** Starts taking telemetry from the MQTT broker, when one is configured. */
    async startMqtt() {
      if (!config.mqtt) return
      mqttIngest = await startMqttIngest(handlerDeps, config.mqtt, (outcome) =>
        metrics.countMqttMessage(outcome),
      )
    },
    async close() {
      await mqttIngest?.close()
      await writer.close()
      await alerts?.close()
      await auth.close()
    },
  }
}

/**
 * Binary COPY on its own connections to a PostgreSQL server; the set-based path on PGlite. With
 * the rules engine on, each batch also fills the rules outbox.
 */
function createSink(config: ServerConfig, db: DbHandle, committed: CommittedBatches | undefined) {
  const options = { hasRuleOutbox: config.alerts !== undefined, committed }
  if (config.databaseUrl !== undefined) return createPostgresSink(config.databaseUrl, options)
  if (!db.pglite) throw new Error('No DATABASE_URL and no embedded database')
  return createPgliteSink(db.pglite, options)
}
