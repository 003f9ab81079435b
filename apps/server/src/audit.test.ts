import { insertAuditRow } from '@fms/db/queries/audit-log'
import { auditLog } from '@fms/db/schema'
import { createApiClient } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAuditPruner } from './audit-pruner.ts'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'

let server: RunningServer

beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: 'true' })
})
afterAll(() => server?.close())

/** A tRPC mutation over plain HTTP with the headers a browser behind a proxy sends. */
async function mutate(path: string, input: unknown, headers: Record<string, string>) {
  const response = await fetch(`${server.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ json: input }),
    signal: AbortSignal.timeout(10_000),
  })
  return { status: response.status, body: (await response.json()) as { result?: unknown } }
}

describe('audit log over HTTP', () => {
  it('records the client address a trusted proxy reports and the user agent', async () => {
    const email = `audit-http-${Date.now()}@example.com`
    const password = 'correct horse'
    const headers = { 'x-forwarded-for': '203.0.113.50', 'user-agent': 'FleetBrowser/2.0' }
    const registered = await mutate(
      'auth.register',
      { email, password, orgName: 'Audit HTTP' },
      headers,
    )
    expect(registered.status).toBe(200)
    expect((await mutate('auth.login', { email, password: 'wrong one' }, headers)).status).toBe(401)
    const login = await mutate('auth.login', { email, password }, headers)
    const accessToken = (login.body.result as { data: { json: { accessToken: string } } }).data.json
      .accessToken
    const client = createApiClient(server.url, accessToken)
    const { items } = await client.audit.list.query({ action: 'auth.login' })
    expect(items).toMatchObject([
      { outcome: 'ok', clientIp: '203.0.113.50', userAgent: 'FleetBrowser/2.0' },
      { outcome: 'error', errorCode: 'UNAUTHORIZED', clientIp: '203.0.113.50' },
    ])
    expect(JSON.stringify(items)).not.toContain(password)
  })
})

describe('audit retention', () => {
  it('prunes rows older than the retention period and keeps the rest', async () => {
    const db = server.db.db
    const old = new Date(Date.now() - 40 * 86_400_000)
    const recent = new Date(Date.now() - 10 * 86_400_000)
    const base = { actorType: 'anonymous' as const, action: 'test.prune', outcome: 'ok' as const }
    for (let i = 0; i < 3; i++) await insertAuditRow(db, { ...base, at: old, objectId: `old-${i}` })
    await insertAuditRow(db, { ...base, at: recent, objectId: 'recent' })
    const pruner = startAuditPruner(db, { retentionDays: 30, intervalMs: 60_000, autoStart: false })
    expect(await pruner.runOnce()).toBe(3)
    expect(await pruner.runOnce()).toBe(0)
    await pruner.stop()
    const left = (await db.select().from(auditLog)).filter((row) => row.action === 'test.prune')
    expect(left.map((row) => row.objectId)).toEqual(['recent'])
  })
})
