import { createHmac, timingSafeEqual } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { pinnedLookup } from '@fms/api'
import { checkWebhookHost, type LookupAll, type ResolvedAddress } from '@fms/api/schemas'
import type { Database } from '@fms/db'
import {
  claimDueDeliveries,
  type DeliveryResult,
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
  /**
   * Deliver to loopback, private and other non-public addresses too: for a local receiver in
   * development and tests only (`WEBHOOKS_ALLOW_PRIVATE_NETWORKS`, which the API's URL check
   * follows too). Default off.
   */
  allowPrivateNetworks?: boolean
  /** Resolves a host to all its addresses; default `node:dns` lookup (tests pass their own). */
  lookup?: LookupAll
  onError?: (error: unknown) => void
}

const MAX_SNIPPET = 500
/** While rounds keep failing (database down), the worker waits at most this long between tries. */
const MAX_IDLE_BACKOFF_MS = 30_000

const systemLookup: LookupAll = (hostname) => lookup(hostname, { all: true, verbatim: true })

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

/**
 * The webhook events for stored alert versions (`type: "alert"`) and for alerts withdrawn because
 * late points showed the episode never happened (`type: "alert.retracted"`, the last version).
 */
export function toWebhookEvents(stored: AlertRow[], retracted: AlertRow[] = []) {
  const events = (rows: AlertRow[], type: string) =>
    rows.map((alert) => ({
      alertId: alert.id,
      alertKey: alert.key,
      kind: alert.kind,
      event: { type, alert: toWebhookAlert(alert) },
    }))
  return [...events(stored, 'alert'), ...events(retracted, 'alert.retracted')]
}

/**
 * POSTs `body` to `url`, connecting only to the `addresses` given (TLS still checks the
 * certificate against the URL's host name). No redirects are followed, no connection is reused;
 * reads at most MAX_SNIPPET characters of the answer, then drops the rest.
 */
function postTo(
  url: URL,
  addresses: [ResolvedAddress, ...ResolvedAddress[]],
  init: { headers: Record<string, string>; body: string; signal: AbortSignal },
): Promise<{ status: number; snippet: string }> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...init.headers, 'Content-Length': String(Buffer.byteLength(init.body)) },
        agent: false,
        lookup: pinnedLookup(addresses),
        signal: init.signal,
      },
      (res) => {
        let snippet = ''
        const finish = () => {
          resolve({ status: res.statusCode ?? 0, snippet: snippet.slice(0, MAX_SNIPPET) })
          res.destroy()
        }
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          snippet += chunk
          if (snippet.length >= MAX_SNIPPET) finish()
        })
        res.on('end', finish)
        res.on('error', reject)
        res.on('close', finish)
      },
    )
    req.on('error', reject)
    req.end(init.body)
  })
}

/**
 * Queues alerts for an organization's webhooks and delivers them: signed JSON POSTs, no redirects,
 * retried with exponential backoff. At least once: receivers dedupe by X-FMS-Event-Id. Each attempt
 * resolves the host again and goes only to public addresses (the SSRF guard), unless
 * `allowPrivateNetworks`.
 */
export function createWebhookDispatcher(db: Database, options: WebhookDispatcherOptions = {}) {
  const intervalMs = options.intervalMs ?? 1000
  const batchSize = options.batchSize ?? 20
  const timeoutMs = options.timeoutMs ?? 10_000
  const backoffMs = options.backoffMs ?? 5000
  const maxAttempts = options.maxAttempts ?? 8
  const onError = options.onError ?? (() => {})
  const allowPrivate = options.allowPrivateNetworks ?? false
  const resolveHost = options.lookup ?? systemLookup
  const stopping = new AbortController()
  let timer: NodeJS.Timeout | undefined
  let current: Promise<number> | undefined

  /**
   * Signs and POSTs one event. Resolves the host first and refuses it (`blocked`) unless every
   * address is public, then connects only to the vetted addresses, so DNS rebinding between the
   * check and the connection can't reach an internal address.
   */
  async function send(
    url: string,
    secret: string,
    id: string,
    event: Record<string, unknown>,
  ): Promise<{ status: number; snippet: string } | { blocked: string }> {
    const timeout = AbortSignal.timeout(timeoutMs)
    const target = new URL(url)
    const check = await checkWebhookHost(target, { lookup: resolveHost, allowPrivate, timeoutMs })
    if (!check.ok) return { blocked: check.error }
    const addresses = check.addresses as [ResolvedAddress, ...ResolvedAddress[]]
    const body = JSON.stringify({ id, ...event })
    const timestamp = Math.floor(Date.now() / 1000)
    try {
      return await postTo(target, addresses, {
        signal: AbortSignal.any([timeout, stopping.signal]),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'FMS-Webhooks/1',
          'X-FMS-Event-Id': id,
          'X-FMS-Timestamp': String(timestamp),
          'X-FMS-Signature': signWebhookBody(secret, body, timestamp),
        },
        body,
      })
    } catch (error) {
      if (timeout.aborted && !stopping.signal.aborted) {
        throw new Error(`No answer within ${timeoutMs} ms`, { cause: error })
      }
      throw error
    }
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
        const sent = await send(claim.url, claim.secret, delivery.id, delivery.event)
        if ('blocked' in sent) {
          lastError = `Not sent: ${sent.blocked}`.slice(0, MAX_SNIPPET)
        } else {
          const { status, snippet } = sent
          lastStatus = status
          if (status < 200 || status >= 300) {
            const note = status >= 300 && status < 400 ? ' (redirects are not followed)' : ''
            lastError = `HTTP ${status}${note}: ${snippet}`.slice(0, MAX_SNIPPET)
          }
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

  /** Rounds failed in a row (the database down): reported once, retried less and less often. */
  let failures = 0

  function schedule() {
    if (stopping.signal.aborted) return
    const delay = Math.min(intervalMs * 2 ** failures, MAX_IDLE_BACKOFF_MS)
    timer = setTimeout(() => {
      current = runOnce().then(
        (count) => {
          failures = 0
          return count
        },
        (error: unknown) => {
          if (failures === 0) onError(error)
          failures = Math.min(failures + 1, 16)
          return 0
        },
      )
      void current.then(schedule)
    }, delay)
  }

  if (options.autoStart ?? true) schedule()

  return {
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
