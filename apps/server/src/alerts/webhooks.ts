import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Database } from '@fms/db'
import {
  claimDueDeliveries,
  type DeliveryResult,
  enqueueWebhookEvents,
  markDeliveryResult,
} from '@fms/db/queries/webhooks'
import type { AlertRow } from '@fms/db/schema'

export interface WebhookDispatcherOptions {
  /** How often the worker looks for due deliveries. */
  intervalMs?: number
  /** At most this many deliveries per round. */
  batchSize?: number
  /** Per-request timeout. */
  timeoutMs?: number
  /** First retry delay; doubles per attempt, with up to +20 % jitter. */
  backoffMs?: number
  /** After this many failed attempts a delivery is `failed`. */
  maxAttempts?: number
  /** Start the worker loop (default true); tests may drive `runOnce` instead. */
  autoStart?: boolean
  onError?: (error: unknown) => void
}

const MAX_SNIPPET = 500

/** `t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signWebhookBody(secret: string, body: string, timestampSec: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')
  return `t=${timestampSec},v1=${mac}`
}

/**
 * For receivers: true when `header` (X-FMS-Signature) signs the raw `body` with `secret` and its
 * timestamp is within `toleranceSec` of now. Compares in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string,
  body: string,
  toleranceSec = 300,
  nowSec = Math.floor(Date.now() / 1000),
): boolean {
  const parts = header.split(',').map((part) => part.trim().split('='))
  const t = Number(parts.find(([key]) => key === 't')?.[1])
  if (!Number.isInteger(t) || Math.abs(nowSec - t) > toleranceSec) return false
  const expected = Buffer.from(signWebhookBody(secret, body, t).split('v1=')[1] ?? '', 'hex')
  return parts.some(([key, value]) => {
    if (key !== 'v1' || !value) return false
    const given = Buffer.from(value, 'hex')
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
}

/** The alert as webhooks carry it (no internal columns). */
export function toWebhookAlert(alert: AlertRow) {
  const { id, vehicleId, ruleId, kind, key, time, endTime, emittedAt, value, message } = alert
  return { id, vehicleId, ruleId, kind, key, time, endTime, emittedAt, value, message }
}

/** Reads at most MAX_SNIPPET characters of a response body, then drops the rest. */
async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  try {
    while (text.length < MAX_SNIPPET) {
      const { done, value } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
  return text.slice(0, MAX_SNIPPET)
}

/**
 * Queues alerts for an organization's webhooks and delivers them: signed JSON POSTs, no redirects,
 * retried with exponential backoff. At least once: receivers dedupe by X-FMS-Event-Id.
 */
export function createWebhookDispatcher(db: Database, options: WebhookDispatcherOptions = {}) {
  const intervalMs = options.intervalMs ?? 1000
  const batchSize = options.batchSize ?? 20
  const timeoutMs = options.timeoutMs ?? 10_000
  const backoffMs = options.backoffMs ?? 5000
  const maxAttempts = options.maxAttempts ?? 8
  const onError = options.onError ?? (() => {})
  const stopping = new AbortController()
  let timer: NodeJS.Timeout | undefined
  let current: Promise<number> | undefined

  function enqueue(orgId: string, alerts: AlertRow[]) {
    const events = alerts.map((alert) => ({
      alertId: alert.id,
      alertKey: alert.key,
      kind: alert.kind,
      event: { type: 'alert', alert: toWebhookAlert(alert) },
    }))
    return enqueueWebhookEvents(db, { orgId, events })
  }

  async function send(url: string, secret: string, id: string, event: Record<string, unknown>) {
    const body = JSON.stringify({ id, ...event })
    const timestamp = Math.floor(Date.now() / 1000)
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stopping.signal]),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'FMS-Webhooks/1',
        'X-FMS-Event-Id': id,
        'X-FMS-Timestamp': String(timestamp),
        'X-FMS-Signature': signWebhookBody(secret, body, timestamp),
      },
      body,
    })
    const snippet = await readSnippet(response)
    return { status: response.status, snippet }
  }

  async function deliver(claim: Awaited<ReturnType<typeof claimDueDeliveries>>[number]) {
    const { delivery } = claim
    const attempts = delivery.attempts + 1
    let lastStatus: number | null = null
    let lastError: string | null = null
    if (!claim.isEnabled) {
      lastError = 'Webhook disabled'
    } else {
      try {
        const { status, snippet } = await send(claim.url, claim.secret, delivery.id, delivery.event)
        lastStatus = status
        if (status < 200 || status >= 300) {
          const note = status >= 300 && status < 400 ? ' (redirects are not followed)' : ''
          lastError = `HTTP ${status}${note}: ${snippet}`.slice(0, MAX_SNIPPET)
        }
      } catch (error) {
        // Stopping mid-request: leave it claimed; the lease ends and it is sent again.
        if (stopping.signal.aborted) return
        lastError = (error instanceof Error ? error.message : String(error)).slice(0, MAX_SNIPPET)
      }
    }
    const now = Date.now()
    const isDone = lastError === null
    const isFailed = !isDone && (attempts >= maxAttempts || !claim.isEnabled)
    const delay = backoffMs * 2 ** (attempts - 1) * (1 + Math.random() * 0.2)
    const result: DeliveryResult = {
      id: delivery.id,
      status: isDone ? 'succeeded' : isFailed ? 'failed' : 'pending',
      attempts,
      nextAttemptAt: new Date(isDone || isFailed ? now : now + delay),
      lastStatus,
      lastError,
      deliveredAt: isDone ? new Date(now) : null,
    }
    await markDeliveryResult(db, result)
  }

  /** One round: claims due deliveries and sends them in parallel; returns how many it took. */
  async function runOnce(): Promise<number> {
    const claims = await claimDueDeliveries(db, {
      now: new Date(),
      limit: batchSize,
      leaseMs: timeoutMs + 5000,
    })
    const results = await Promise.allSettled(claims.map(deliver))
    for (const r of results) if (r.status === 'rejected') onError(r.reason)
    return claims.length
  }

  function schedule() {
    if (stopping.signal.aborted) return
    timer = setTimeout(() => {
      current = runOnce().catch((error: unknown) => {
        onError(error)
        return 0
      })
      void current.then(schedule)
    }, intervalMs)
  }

  if (options.autoStart ?? true) schedule()

  return {
    enqueue,
    runOnce,
    /** Stops the loop and aborts requests in flight (they are retried after their lease). */
    async close() {
      stopping.abort()
      clearTimeout(timer)
      await current
    },
  }
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>
