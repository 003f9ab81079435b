import type { BatchStats } from '@fms/db/telemetry'
import type { LiveHubObserver } from '@fms/live'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/** Buckets for the stages of the ingest-to-subscriber path (seconds): a few ms to a second. */
const STAGE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1]

/** Prometheus metrics of one server process, served on `/metrics`. */
export function createMetrics(queueDepth: () => number) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'fms_' })
  const points = new Counter({
    name: 'fms_ingest_points_total',
    help: 'Telemetry points by outcome',
    labelNames: ['result'] as const,
    registers: [registry],
  })
  const requests = new Counter({
    name: 'fms_ingest_requests_total',
    help: 'Ingestion requests by HTTP status',
    labelNames: ['status'] as const,
    registers: [registry],
  })
  const batchRows = new Histogram({
    name: 'fms_ingest_batch_rows',
    help: 'Rows per group-commit batch',
    buckets: [1, 10, 100, 500, 1000, 2000, 5000, 10_000, 20_000],
    registers: [registry],
  })
  const commitSeconds = new Histogram({
    name: 'fms_ingest_commit_seconds',
    help: 'Time to commit one batch',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  const batchWaitSeconds = new Histogram({
    name: 'fms_ingest_batch_wait_seconds',
    help: 'Time the oldest write of a batch waited for a free connection',
    buckets: STAGE_BUCKETS,
    registers: [registry],
  })
  const liveFrameWaitSeconds = new Histogram({
    name: 'fms_live_frame_wait_seconds',
    help: 'Time the oldest point of a live frame waited, after its commit, for the frame',
    buckets: STAGE_BUCKETS,
    registers: [registry],
  })
  const liveFramePoints = new Histogram({
    name: 'fms_live_frame_points',
    help: 'Points per live frame (latest per vehicle)',
    buckets: [1, 10, 100, 1000, 10_000],
    registers: [registry],
  })
  const liveSendDelaySeconds = new Histogram({
    name: 'fms_live_send_delay_seconds',
    help: 'Time from building a live frame to handing it to one socket',
    buckets: STAGE_BUCKETS,
    registers: [registry],
  })
  const fallbacks = new Counter({
    name: 'fms_ingest_duplicate_path_batches_total',
    help: 'Batches stored through the duplicate-tolerant path (a point repeated or already stored)',
    registers: [registry],
  })
  const mqttMessages = new Counter({
    name: 'fms_mqtt_messages_total',
    help: 'MQTT telemetry messages by outcome',
    labelNames: ['result'] as const,
    registers: [registry],
  })
  const activityMarks = new Counter({
    name: 'fms_activity_marks_total',
    help: 'Activity invalidation marks handled by the background refresher',
    registers: [registry],
  })
  const activitySeconds = new Histogram({
    name: 'fms_activity_refresh_seconds',
    help: 'Time of one background activity refresh run',
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  })
  const rulesBacklogRows = new Gauge({
    name: 'fms_rules_backlog_rows',
    help: 'Outbox rows (committed batches) waiting for the rules engine, per shard this node holds',
    labelNames: ['shard'] as const,
    registers: [registry],
  })
  const rulesOldestSeconds = new Gauge({
    name: 'fms_rules_oldest_seconds',
    help: 'Age of the oldest committed batch the rules engine has not processed, per shard this node holds',
    labelNames: ['shard'] as const,
    registers: [registry],
  })
  const rulesShards = new Gauge({
    name: 'fms_rules_shards_held',
    help: 'Shards of the committed stream this node runs the rules for',
    registers: [registry],
  })
  new Gauge({
    name: 'fms_ingest_queue_rows',
    help: 'Rows waiting for a batch',
    registers: [registry],
    collect() {
      this.set(queueDepth())
    },
  })
  return {
    registry,
    countResult(result: { accepted: number; duplicates: number; rejected: number }) {
      if (result.accepted) points.inc({ result: 'accepted' }, result.accepted)
      if (result.duplicates) points.inc({ result: 'duplicate' }, result.duplicates)
      if (result.rejected) points.inc({ result: 'rejected' }, result.rejected)
    },
    countRequest(status: number) {
      requests.inc({ status: String(status) })
    },
    countMqttMessage(result: string) {
      mqttMessages.inc({ result })
    },
    observeBatch(stats: BatchStats) {
      batchRows.observe(stats.rows)
      batchWaitSeconds.observe(stats.waitSeconds)
      commitSeconds.observe(stats.seconds)
      if (stats.isFallback) fallbacks.inc()
    },
    /** Feeds the live hub's stage timings in. */
    liveObserver: {
      frameBuilt(points: number, waitMs: number) {
        liveFramePoints.observe(points)
        liveFrameWaitSeconds.observe(waitMs / 1000)
      },
      frameSent(delayMs: number) {
        liveSendDelaySeconds.observe(delayMs / 1000)
      },
    } satisfies LiveHubObserver,
    observeRulesBacklog(backlog: readonly { shard: number; rows: number; oldestSec: number }[]) {
      rulesBacklogRows.reset()
      rulesOldestSeconds.reset()
      rulesShards.set(backlog.length)
      for (const { shard, rows, oldestSec } of backlog) {
        rulesBacklogRows.set({ shard: String(shard) }, rows)
        rulesOldestSeconds.set({ shard: String(shard) }, oldestSec)
      }
    },
    observeActivityRefresh(marks: number, seconds: number) {
      activityMarks.inc(marks)
      activitySeconds.observe(seconds)
    },
  }
}

export type Metrics = ReturnType<typeof createMetrics>
