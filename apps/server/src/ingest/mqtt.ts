import { bearerToken } from '@fms/api'
import { AppError } from '@fms/api/errors'
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt'
import { readAck } from '../commands/delivery.ts'
import { errorFields, logger } from '../logger.ts'
import { parsePoints } from './body.ts'
import type { IngestHandlerDeps } from './handler.ts'
import { ingestPoints } from './pipeline.ts'
import { IngestRateLimits } from './rate-limits.ts'
import { toAppError } from './respond.ts'

/**
 * MQTT ingestion. Devices publish to `<prefix>/<org id>/<device id>/telemetry` (QoS 1) a JSON
 * point, an array, or NDJSON, in the same wire format as HTTP. They authenticate with their
 * device token: the MQTT 5 user property `authorization: Bearer <token>` (or `token`), or a
 * `token` field in every point. The server subscribes through a shared subscription, so with
 * several nodes each message is handled once, and acknowledges (PUBACK) only after the points
 * are committed: while the database is down the message stays unacknowledged and is retried.
 * Bad messages are counted and dropped without stopping the subscription.
 */
export interface MqttIngestOptions {
  url: string
  topicPrefix: string
  /** Upper bound for one retry wait while the database is unavailable. */
  maxRetryDelayMs?: number
}

/** Seconds of the device rate a device's MQTT bucket holds. */
const MQTT_BURST_SEC = 60

export type MqttOutcome =
  | 'stored'
  | 'rejected'
  | 'unauthorized'
  | 'malformed'
  | 'rate_limited'
  | 'acknowledged'

/** Commands sent down after one telemetry message, at most (the rest go with the next). */
const MAX_COMMANDS_PER_MESSAGE = 10
/** Command look-ups running at once; past it a message's commands wait for the device's next. */
const MAX_DOWNLINKS_IN_FLIGHT = 100

const TOPIC = /^[^/]+\/([0-9a-f-]{36})\/([0-9a-f-]{36})\/(telemetry|acks)$/i

export async function startMqttIngest(
  deps: IngestHandlerDeps,
  options: MqttIngestOptions,
  onOutcome: (outcome: MqttOutcome) => void,
) {
  let isClosing = false
  let downlinksInFlight = 0
  const mqttLimits = new IngestRateLimits(deps.rateLimits.ratePerSec, MQTT_BURST_SEC)
  const client: MqttClient = await mqtt.connectAsync(options.url, {
    protocolVersion: 5,
    clientId: `fms-ingest-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    clean: true,
    reconnectPeriod: 1000,
    connectTimeout: 5000,
  })
  client.on('error', (error) => logger.warn('mqtt error', errorFields(error)))
  client.handleMessage = (packet, done) => {
    handle(packet).then(
      (outcome) => {
        onOutcome(outcome)
        done()
      },
      (error: unknown) => {
        // Only when closing with the database still down: leave it unacknowledged.
        logger.warn('mqtt message left unacknowledged', errorFields(error))
        done(error instanceof Error ? error : new Error(String(error)))
      },
    )
  }
  await client.subscribeAsync(
    [
      `$share/fms-ingest/${options.topicPrefix}/+/+/telemetry`,
      `$share/fms-ingest/${options.topicPrefix}/+/+/acks`,
    ],
    { qos: 1 },
  )

  async function handle(packet: IPublishPacket): Promise<MqttOutcome> {
    const match = TOPIC.exec(packet.topic)
    if (!match) return 'malformed'
    const [, orgId, deviceId, kind] = match
    if (orgId === undefined || deviceId === undefined) return 'malformed'
    if (kind === 'acks') return handleAck(packet, orgId, deviceId)
    let points: unknown[]
    try {
      const payload = Buffer.from(packet.payload)
      const isNdjson =
        payload.includes(10) && payload.toString('utf8', 0, 64).trimStart()[0] !== '['
      points = parsePoints(payload, isNdjson ? 'ndjson' : 'json', deps.limits.maxPoints)
    } catch {
      return 'malformed'
    }
    const identity = await retryWhileUnavailable(() =>
      deps.auth.authenticate(tokenOf(packet, points)),
    )
    if (!identity || identity.orgId !== orgId.toLowerCase()) return 'unauthorized'
    const device = identity.devices.get(deviceId.toLowerCase())
    if (!device) return 'unauthorized'
    // Points name their device by the topic; one naming another device is rejected.
    const named = points.map((p) =>
      p && typeof p === 'object' && !Array.isArray(p) ? { device_id: device.id, ...p } : p,
    )
    // The same limits as HTTP, charged once per message (not again per retry), with a minute's
    // burst so a reconnecting tracker's backlog goes through. A publisher can't be answered 429,
    // and holding the message back would hold every device's messages behind it (they arrive in
    // order on one subscription), so a message beyond that is acknowledged and dropped, and
    // counted (fms_mqtt_messages_total{result="rate_limited"}).
    let result: Awaited<ReturnType<typeof ingestPoints>>['result']
    let isAdmitted = false
    try {
      mqttLimits.admitToken(identity)
      ;({ result } = await retryWhileUnavailable(() =>
        ingestPoints(deps.writer, identity, named, deps.limits, (ids) => {
          if (isAdmitted) return
          mqttLimits.admitDevices(ids)
          isAdmitted = true
        }),
      ))
    } catch (error) {
      if (error instanceof AppError && error.httpStatus === 429) return 'rate_limited'
      throw error
    }
    deps.metrics.countResult({ ...result, rejected: result.rejected.length })
    if (result.rejected.length === points.length) return 'rejected'
    // After this message is acknowledged: mqtt.js reads no packet (the broker's PUBACK to a
    // publish either) while a message handler runs, so publishing from inside one would stall.
    const topic = `${options.topicPrefix}/${identity.orgId}/${device.id}/commands`
    if (downlinksInFlight < MAX_DOWNLINKS_IN_FLIGHT) {
      downlinksInFlight++
      setImmediate(() => {
        sendCommands(device.id, topic)
          .catch((error: unknown) => logger.warn('mqtt commands not sent', errorFields(error)))
          .finally(() => downlinksInFlight--)
      })
    }
    return 'stored'
  }

  /**
   * The device's due commands on its downlink topic `<prefix>/<org id>/<device id>/commands`
   * (QoS 1), each marked sent when taken; one the broker did not accept goes back to the queue.
   */
  async function sendCommands(deviceId: string, topic: string): Promise<void> {
    for (let n = 0; n < MAX_COMMANDS_PER_MESSAGE && !isClosing; n++) {
      const command = await deps.commands.take(deviceId, 'mqtt')
      if (!command) return
      try {
        await client.publishAsync(topic, JSON.stringify(command), { qos: 1 })
      } catch (error) {
        await deps.commands.release(command.id)
        logger.warn('mqtt command not published', { commandId: command.id, ...errorFields(error) })
        return
      }
    }
  }

  /** `<prefix>/<org id>/<device id>/acks`: `{"id", "ok", "result"?}`, with the device's token. */
  async function handleAck(packet: IPublishPacket, orgId: string, deviceId: string) {
    let body: unknown
    try {
      body = JSON.parse(Buffer.from(packet.payload).toString('utf8'))
    } catch {
      return 'malformed'
    }
    const ack = readAck(body)
    if (!ack) return 'malformed'
    const identity = await retryWhileUnavailable(() =>
      deps.auth.authenticate(tokenOf(packet, [body])),
    )
    if (!identity || identity.orgId !== orgId.toLowerCase()) return 'unauthorized'
    const device = identity.devices.get(deviceId.toLowerCase())
    if (!device) return 'unauthorized'
    await retryWhileUnavailable(() => deps.commands.answer(device.id, ack))
    return 'acknowledged'
  }

  /** Waits out 503-class failures (database down, queue full) with capped backoff. */
  async function retryWhileUnavailable<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run()
      } catch (error) {
        const appError: AppError = toAppError(error)
        if (appError.httpStatus !== 503 || isClosing) throw error
        const delay = Math.min(options.maxRetryDelayMs ?? 5000, 100 * 2 ** attempt)
        await new Promise((resolve) => setTimeout(resolve, delay))
      }
    }
  }

  return {
    client,
    async close(): Promise<void> {
      isClosing = true
      await client.endAsync()
    },
  }
}

function tokenOf(packet: IPublishPacket, points: unknown[]): string | null {
  const props = packet.properties?.userProperties ?? {}
  const header = props.authorization ?? props.Authorization
  const fromHeader = typeof header === 'string' ? bearerToken(header) : null
  if (fromHeader) return fromHeader
  if (typeof props.token === 'string') return props.token
  let token: string | null = null
  for (const point of points) {
    const value = (point as { token?: unknown } | null)?.token
    if (typeof value !== 'string' || (token !== null && token !== value)) return null
    token = value
  }
  return token
}
