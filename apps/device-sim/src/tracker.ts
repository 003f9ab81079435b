import { type TCommandAck, type TCommandMessage, ZCommandPayloads } from '@fms/api/schemas'
import mqtt, { type MqttClient } from 'mqtt'
import { USER_AGENT } from './transport.ts'

/**
 * One tracker that reports its position over OsmAnd (as Traccar Client does) or MQTT and obeys
 * the commands the server hands it: `setReportInterval` changes how often it reports, `custom`
 * text is logged (and echoed in its answer). It answers every command with its id: over OsmAnd
 * on its next report (`ack=<id>`, `ackError=<reason>` when it could not), at once; over MQTT a
 * message on `<prefix>/<org id>/<device id>/acks`.
 */
export type TrackerOptions = {
  server: string
  /** The device token. */
  token: string
  intervalSec: number
  position?: { lat: number; lon: number }
  log?: (line: string) => void
} & (
  | { protocol: 'osmand' /** The device's external id (OsmAnd `id`). */; externalId: string }
  | { protocol: 'mqtt'; mqttUrl: string; topicPrefix: string; orgId: string; deviceId: string }
)

export interface Tracker {
  /** The report interval now (a command may have changed it). */
  readonly intervalSec: number
  /** Every command received, in order. */
  readonly commands: readonly TCommandMessage[]
  /** Reports sent (each one acknowledged by the server). */
  readonly reports: number
  /** Sends a report now (tests; the timer sends them otherwise). */
  reportNow(): Promise<void>
  close(): Promise<void>
}

const KMH_TO_KNOTS = 1 / 1.852

/** What the tracker does with a command, and its answer. */
function carryOut(
  command: TCommandMessage,
  state: { intervalSec: number },
  log: (line: string) => void,
): TCommandAck {
  if (command.type === 'setReportInterval') {
    const payload = ZCommandPayloads.setReportInterval.safeParse(command.payload)
    if (!payload.success) return { id: command.id, ok: false, result: 'bad seconds' }
    state.intervalSec = payload.data.seconds
    log(`command ${command.id}: report every ${state.intervalSec} s`)
    return { id: command.id, ok: true, result: `interval ${state.intervalSec}` }
  }
  if (command.type === 'custom') {
    const payload = ZCommandPayloads.custom.safeParse(command.payload)
    if (!payload.success) return { id: command.id, ok: false, result: 'bad text' }
    log(`command ${command.id}: ${JSON.stringify(payload.data.text)}`)
    return { id: command.id, ok: true, result: payload.data.text.slice(0, 500) }
  }
  return { id: command.id, ok: false, result: `unknown command type ${command.type}` }
}

function readCommand(text: string): TCommandMessage | null {
  try {
    const value = JSON.parse(text) as Partial<TCommandMessage> | null
    return typeof value?.id === 'string' && typeof value.type === 'string'
      ? { id: value.id, type: value.type, payload: value.payload ?? {} }
      : null
  } catch {
    return null
  }
}

export async function startTracker(options: TrackerOptions): Promise<Tracker> {
  const log = options.log ?? (() => {})
  const state = { intervalSec: options.intervalSec }
  const commands: TCommandMessage[] = []
  let reports = 0
  let step = 0
  let timer: NodeJS.Timeout | undefined
  let isClosed = false
  /** OsmAnd: answers waiting for the next report. */
  const pendingAcks: TCommandAck[] = []
  const position = () => ({
    lat: (options.position?.lat ?? 52.52) + step * 1e-4,
    lon: options.position?.lon ?? 13.405,
  })

  let client: MqttClient | undefined
  const base =
    options.protocol === 'mqtt' ? `${options.topicPrefix}/${options.orgId}/${options.deviceId}` : ''
  const auth = { userProperties: { authorization: `Bearer ${options.token}` } }
  if (options.protocol === 'mqtt') {
    client = await mqtt.connectAsync(options.mqttUrl, { protocolVersion: 5, clean: true })
    client.on('message', (_topic, payload) => {
      const command = readCommand(payload.toString('utf8'))
      if (!command || !client) return
      commands.push(command)
      const ack = carryOut(command, state, log)
      client
        .publishAsync(`${base}/acks`, JSON.stringify(ack), { qos: 1, properties: auth })
        .catch((error: unknown) => log(`ack not sent: ${String(error)}`))
      schedule()
    })
    await client.subscribeAsync(`${base}/commands`, { qos: 1 })
  }

  async function reportOsmand(externalId: string): Promise<void> {
    const { lat, lon } = position()
    const params = new URLSearchParams({
      id: externalId,
      lat: String(lat),
      lon: String(lon),
      timestamp: String(Date.now()),
      speed: String(30 * KMH_TO_KNOTS),
    })
    const ack = pendingAcks[0]
    if (ack) {
      params.set('ack', ack.id)
      if (!ack.ok) params.set('ackError', ack.result ?? 'failed')
      else if (ack.result) params.set('ackResult', ack.result)
    }
    const url = `${options.server}/osmand/${encodeURIComponent(options.token)}?${params}`
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'user-agent': USER_AGENT },
      signal: AbortSignal.timeout(10_000),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`OsmAnd report answered ${response.status}: ${text}`)
    if (ack) pendingAcks.shift()
    reports++
    const command = text ? readCommand(text) : null
    if (command) {
      commands.push(command)
      pendingAcks.push(carryOut(command, state, log))
      schedule()
    }
  }

  async function reportMqtt(): Promise<void> {
    if (!client) return
    const point = { time: new Date().toISOString(), ...position(), speed: 30 }
    await client.publishAsync(`${base}/telemetry`, JSON.stringify(point), {
      qos: 1,
      properties: auth,
    })
    reports++
  }

  async function reportNow(): Promise<void> {
    step++
    if (options.protocol === 'osmand') await reportOsmand(options.externalId)
    else await reportMqtt()
  }

  /** The next report: at once when an answer waits (OsmAnd), else after the interval. */
  function schedule(): void {
    clearTimeout(timer)
    if (isClosed) return
    const delayMs = pendingAcks.length > 0 ? 0 : state.intervalSec * 1000
    timer = setTimeout(() => {
      reportNow().then(schedule, (error: unknown) => {
        log(`report failed: ${String(error)}`)
        schedule()
      })
    }, delayMs)
  }
  schedule()

  return {
    get intervalSec() {
      return state.intervalSec
    },
    commands,
    get reports() {
      return reports
    },
    reportNow,
    async close() {
      isClosed = true
      clearTimeout(timer)
      await client?.endAsync()
    },
  }
}
