import { sql } from '@fms/db'
import { notifications } from '@fms/db/schema'
import { createTestDb } from '@fms/db/testing'
import {
  createApiClient,
  postTelemetry,
  provisionFleet,
  startSmtpServer,
  subscribeNotifications,
  type TestSmtpServer,
  type WirePoint,
} from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SpawnedServer, spawnServer } from './testing/spawn-server.ts'
import { waitUntil } from './testing/wait.ts'

// Two server processes on one PostgreSQL and one Redis, a fleet's requests spread over them as a
// balancer would, both sending email: every alert is told to its subscriber exactly once, by
// email and in the app, whichever node stored it, gathered it or mailed it.
let scratch: Awaited<ReturnType<typeof createTestDb>>
let smtp: TestSmtpServer
const nodes: SpawnedServer[] = []

beforeAll(async () => {
  scratch = await createTestDb('postgres')
  smtp = await startSmtpServer()
  for (let i = 0; i < 2; i++) {
    nodes.push(
      await spawnServer({
        DATABASE_URL: scratch.url ?? '',
        REDIS_URL: 'redis://127.0.0.1:6379',
        INGEST_RATE_LIMIT: '0',
        ALERTS_RULE_CACHE_SEC: '0',
        SMTP_URL: smtp.url,
        PUBLIC_URL: 'https://fleet.example.test',
      }),
    )
  }
}, 90_000)

afterAll(async () => {
  for (const node of nodes) node.child.kill('SIGKILL')
  await Promise.all(nodes.map((n) => n.exited))
  await smtp?.close()
  await scratch?.close()
})

/** Three short overspeed episodes of one vehicle, an hour ago. */
function drive(deviceId: string, startMs: number): WirePoint[] {
  return Array.from({ length: 90 }, (_, i) => ({
    device_id: deviceId,
    time: new Date(startMs + i * 1000).toISOString(),
    lat: 52.5 + i * 0.0003,
    lon: 13.4,
    speed: i % 30 < 10 ? 120 : 50,
    ignition: true,
  }))
}

describe('notifications on several nodes', () => {
  it('tells each alert once by email and once in the app', async () => {
    const [a, b] = nodes as [SpawnedServer, SpawnedServer]
    // The admin verifies the address through the mailed link, as with email on they must.
    const fleet = await provisionFleet(a.url, { vehicles: 4, smtp })
    await fleet.api.rules.create.mutate({ kind: 'overspeed', threshold: 100, durationSec: 0 })
    await fleet.api.notifications.subscriptions.create.mutate({})
    // The app listens on node B; the points arrive on both.
    const live = subscribeNotifications(b.url, fleet.accessToken)
    await new Promise((resolve) => setTimeout(resolve, 500))

    const start = Math.floor((Date.now() - 3_600_000) / 1000) * 1000
    let k = 0
    for (const deviceId of fleet.deviceIds) {
      const points = drive(deviceId, start)
      for (let i = 0; i < points.length; i += 10) {
        const node = nodes[k++ % nodes.length] as SpawnedServer
        const answer = await postTelemetry(node.url, {
          token: fleet.token.secret,
          body: points.slice(i, i + 10),
        })
        expect(answer.status).toBe(200)
      }
    }
    const api = createApiClient(b.url, fleet.accessToken)
    await waitUntil(async () => (await api.alerts.list.query({ limit: 100 })).items.length === 12, {
      timeoutMs: 30_000,
      intervalMs: 200,
      what: '12 alerts',
    })
    const alertIds = (await api.alerts.list.query({ limit: 100 })).items.map((x) => x.id)
    await waitUntil(
      async () => {
        const [row] = await scratch.db
          .select({ n: sql<number>`count(*)::int` })
          .from(notifications)
          .where(sql`${notifications.emailState} = 'sent'`)
        return row?.n === 12
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'every notification emailed' },
    )
    // An email tells one alert (`[FMS] Overspeed: V-1`) or several (`[FMS] 3 alerts`).
    const toldByEmail = () =>
      smtp.messages
        .filter((m) => m.to.includes(fleet.email) && m.parsed.subject?.startsWith('[FMS]'))
        .reduce(
          (sum, m) => sum + Number(/^\[FMS\] (\d+) alerts$/.exec(m.parsed.subject ?? '')?.[1] ?? 1),
          0,
        )
    await waitUntil(() => toldByEmail() >= 12, {
      timeoutMs: 30_000,
      intervalMs: 200,
      what: 'every alert in an email',
    })
    await waitUntil(() => live.notifications.length >= 12, {
      timeoutMs: 10_000,
      what: 'every alert in the app',
    })
    // A little longer, for anything sent twice to show up.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    expect(toldByEmail()).toBe(12)
    const rows = await scratch.db
      .select({ alertId: notifications.alertId, state: notifications.emailState })
      .from(notifications)
    expect(rows.map((r) => r.alertId).sort()).toEqual([...alertIds].sort())
    expect(rows.every((r) => r.state === 'sent')).toBe(true)
    expect(live.notifications.map((n) => n.notification.alertId).sort()).toEqual(
      [...alertIds].sort(),
    )
    await live.close()
  }, 120_000)
})
