import { randomUUID } from 'node:crypto'
import { upsertAlerts } from '@fms/db/queries/alerts'
import { createOrganization } from '@fms/db/queries/organizations'
import {
  createWebhook,
  enqueueWebhookEvents,
  listWebhookDeliveries,
} from '@fms/db/queries/webhooks'
import type { AlertRow } from '@fms/db/schema'
import { createTestDb } from '@fms/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createWebhookDispatcher,
  signWebhookBody,
  toWebhookEvents,
  verifyWebhookSignature,
} from './alerts/webhooks.ts'
import { startReceiver } from './testing/webhook-receiver.ts'

let scratch: Awaited<ReturnType<typeof createTestDb>>
beforeAll(async () => {
  scratch = await createTestDb()
})
afterAll(() => scratch?.close())

/** Queues alerts for the organization's webhooks, as storing them does (`alerts/changes.ts`). */
function enqueue(orgId: string, alerts: AlertRow[]) {
  return enqueueWebhookEvents(scratch.db, { orgId, events: toWebhookEvents(alerts) })
}

/** The receivers listen on 127.0.0.1: the SSRF guard's escape hatch lets the dispatcher reach them. */
const LOCAL = { allowPrivateNetworks: true }

async function setup(script: number[], kinds: string[] = [], url?: (port: number) => string) {
  const org = await createOrganization(scratch.db, { name: `Org ${randomUUID()}` })
  const receiver = await startReceiver(script)
  const secret = 'whsec_test-secret'
  const hook = await createWebhook(scratch.db, {
    orgId: org.id,
    url: url ? url(receiver.port) : receiver.url,
    secret,
    kinds,
    isEnabled: true,
  })
  const now = new Date()
  const alerts = await upsertAlerts(scratch.db, [
    {
      orgId: org.id,
      vehicleId: randomUUID(),
      ruleId: null,
      kind: 'overspeed',
      key: `overspeed:${randomUUID()}`,
      time: now,
      endTime: null,
      emittedAt: now,
      value: 120,
      message: 'Overspeed 120 km/h',
    },
  ])
  return { org, receiver, secret, hook, alerts }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs worker rounds until `done` holds or the deadline passes. */
async function drive(dispatcher: { runOnce(): Promise<number> }, done: () => boolean) {
  const deadline = Date.now() + 10_000
  while (!done() && Date.now() < deadline) {
    await dispatcher.runOnce()
    await sleep(10)
  }
}

describe('webhook dispatcher', () => {
  it('signs the body so a receiver can verify it; refuses tampering and old timestamps', async () => {
    const { receiver, secret, hook, org, alerts } = await setup([])
    const dispatcher = createWebhookDispatcher(scratch.db, {
      ...LOCAL,
      autoStart: false,
      backoffMs: 10,
    })
    expect(await enqueue(org.id, alerts)).toHaveLength(1)
    await drive(dispatcher, () => receiver.received.length === 1)
    const [got] = receiver.received
    const signature = String(got?.headers['x-fms-signature'])
    expect(got?.headers['content-type']).toBe('application/json')
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    expect(signature.startsWith(`t=${got?.headers['x-fms-timestamp']},`)).toBe(true)
    expect(verifyWebhookSignature(secret, signature, got?.body ?? '', 300)).toBe(true)
    expect(verifyWebhookSignature('whsec_other', signature, got?.body ?? '', 300)).toBe(false)
    expect(verifyWebhookSignature(secret, signature, `${got?.body} `, 300)).toBe(false)
    const old = signWebhookBody(secret, got?.body ?? '', Math.floor(Date.now() / 1000) - 3600)
    expect(verifyWebhookSignature(secret, old, got?.body ?? '', 300)).toBe(false)

    const body = JSON.parse(got?.body ?? '{}')
    expect(body).toMatchObject({ type: 'alert', alert: { id: alerts[0]?.id, kind: 'overspeed' } })
    expect(body.id).toBe(got?.headers['x-fms-event-id'])
    const [log] = await listWebhookDeliveries(scratch.db, {
      orgId: org.id,
      webhookId: hook.id,
      limit: 10,
    })
    expect(log).toMatchObject({ status: 'succeeded', attempts: 1, lastStatus: 200 })
    expect(log?.deliveredAt).toBeInstanceOf(Date)
    await dispatcher.close()
    await receiver.close()
  })

  it('retries with backoff: 500, 500, then 200 delivers on the third attempt', async () => {
    const { receiver, hook, org, alerts } = await setup([500, 500])
    const dispatcher = createWebhookDispatcher(scratch.db, {
      ...LOCAL,
      intervalMs: 20,
      backoffMs: 50,
    })
    await enqueue(org.id, alerts)
    const params = { orgId: org.id, webhookId: hook.id, limit: 10 }
    const deadline = Date.now() + 10_000
    let log = await listWebhookDeliveries(scratch.db, params)
    while (log[0]?.status === 'pending' && Date.now() < deadline) {
      await sleep(30)
      log = await listWebhookDeliveries(scratch.db, params)
    }
    await dispatcher.close()
    expect(receiver.received).toHaveLength(3)
    expect(new Set(receiver.received.map((r) => r.headers['x-fms-event-id'])).size).toBe(1)
    const [first, second, third] = receiver.received.map((r) => r.at)
    // Backoff doubles: ≥ 50 ms before the second attempt, ≥ 100 ms before the third.
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(45)
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(95)
    expect(log[0]).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      lastStatus: 200,
      lastError: null,
    })
    await receiver.close()
  })

  it('does not follow a 3xx, keeps at most 500 characters of the answer, fails after max attempts', async () => {
    const { receiver, hook, org, alerts } = await setup([302, 500])
    const dispatcher = createWebhookDispatcher(scratch.db, {
      ...LOCAL,
      autoStart: false,
      backoffMs: 10,
      maxAttempts: 2,
    })
    await enqueue(org.id, alerts)
    const params = { orgId: org.id, webhookId: hook.id, limit: 10 }
    await dispatcher.runOnce()
    let [log] = await listWebhookDeliveries(scratch.db, params)
    expect(receiver.received.map((r) => r.path)).toEqual(['/hook'])
    expect(log).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 302 })
    expect(log?.lastError).toContain('redirects are not followed')
    await drive(dispatcher, () => receiver.received.length === 2)
    ;[log] = await listWebhookDeliveries(scratch.db, params)
    expect(receiver.received.map((r) => r.path)).toEqual(['/hook', '/hook'])
    expect(log).toMatchObject({ status: 'failed', attempts: 2, lastStatus: 500 })
    expect(log?.lastError?.length).toBeLessThanOrEqual(500)
    expect(await dispatcher.runOnce()).toBe(0)
    await dispatcher.close()
    await receiver.close()
  })

  it('sends only the kinds a webhook asks for', async () => {
    const { receiver, org, alerts } = await setup([], ['low_fuel'])
    const dispatcher = createWebhookDispatcher(scratch.db, { ...LOCAL, autoStart: false })
    expect(await enqueue(org.id, alerts)).toEqual([])
    await dispatcher.close()
    await receiver.close()
  })

  it('blocks a host resolving to loopback (localhost) by default, and logs why', async () => {
    const { receiver, hook, org, alerts } = await setup(
      [],
      [],
      (port) => `http://localhost:${port}/hook`,
    )
    // The default: allowPrivateNetworks (WEBHOOKS_ALLOW_PRIVATE_NETWORKS) off.
    const dispatcher = createWebhookDispatcher(scratch.db, { autoStart: false })
    await enqueue(org.id, alerts)
    expect(await dispatcher.runOnce()).toBe(1)
    const [log] = await listWebhookDeliveries(scratch.db, {
      orgId: org.id,
      webhookId: hook.id,
      limit: 10,
    })
    expect(receiver.received).toEqual([])
    expect(log).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null })
    expect(log?.lastError).toMatch(
      /^Not sent: localhost resolves to a non-public address \(loopback\); webhooks only go to public addresses$/,
    )
    await dispatcher.close()
    await receiver.close()
  })

  it('blocks a name when any address of its DNS answer is private, without connecting', async () => {
    const answers: Record<string, string[]> = {
      'hooks.example.com': ['10.20.30.40'],
      'mixed.example.com': ['93.184.215.14', '192.168.7.7'],
      'cgnat.example.com': ['100.100.1.1'],
    }
    const lookup = async (hostname: string) =>
      (answers[hostname] ?? []).map((address) => ({ address, family: 4 }))
    const dispatcher = createWebhookDispatcher(scratch.db, {
      autoStart: false,
      allowPrivateNetworks: false,
      lookup,
    })
    const expected = {
      'hooks.example.com': 'hooks.example.com resolves to a non-public address (private)',
      'mixed.example.com': 'mixed.example.com resolves to a non-public address (private)',
      'cgnat.example.com': 'cgnat.example.com resolves to a non-public address (CGNAT)',
      'nowhere.example.com': 'nowhere.example.com does not resolve',
    }
    for (const [host, error] of Object.entries(expected)) {
      const { receiver, hook, org, alerts } = await setup([], [], () => `https://${host}/hook`)
      await enqueue(org.id, alerts)
      await dispatcher.runOnce()
      const [log] = await listWebhookDeliveries(scratch.db, {
        orgId: org.id,
        webhookId: hook.id,
        limit: 10,
      })
      expect(log?.lastError, host).toContain(`Not sent: ${error}`)
      expect(log?.lastError, host).not.toMatch(/10\.20|192\.168|100\.100/)
      expect(log).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null })
      await receiver.close()
    }
    await dispatcher.close()
  })

  it('connects to the address it vetted, never to a second DNS answer (rebinding)', async () => {
    // The name exists only in this resolver; its second answer would point elsewhere. The request
    // still reaches the receiver: the connection used the first (vetted) answer, not a new lookup.
    let lookups = 0
    const lookup = async (hostname: string) => {
      lookups++
      if (hostname !== 'rebind.example.com') return []
      return [{ address: lookups === 1 ? '127.0.0.1' : '10.255.255.1', family: 4 }]
    }
    const { receiver, hook, org, alerts } = await setup(
      [],
      [],
      (port) => `http://rebind.example.com:${port}/hook`,
    )
    const dispatcher = createWebhookDispatcher(scratch.db, { ...LOCAL, autoStart: false, lookup })
    await enqueue(org.id, alerts)
    await dispatcher.runOnce()
    const [log] = await listWebhookDeliveries(scratch.db, {
      orgId: org.id,
      webhookId: hook.id,
      limit: 10,
    })
    expect(lookups).toBe(1)
    expect(receiver.received).toHaveLength(1)
    expect(receiver.received[0]?.headers.host).toBe(`rebind.example.com:${receiver.port}`)
    expect(log).toMatchObject({ status: 'succeeded', lastStatus: 200, lastError: null })
    await dispatcher.close()
    await receiver.close()
  })

  it('reports a database outage once and backs off instead of failing every interval', async () => {
    const gone = await createTestDb()
    await gone.close()
    const errors: unknown[] = []
    const dispatcher = createWebhookDispatcher(gone.db, {
      intervalMs: 20,
      onError: (error) => errors.push(error),
    })
    await new Promise((resolve) => setTimeout(resolve, 700))
    await dispatcher.close()
    // At a fixed 20 ms that would be ~35 failed rounds; doubling waits allow about five.
    expect(errors).toHaveLength(1)
  })
})
