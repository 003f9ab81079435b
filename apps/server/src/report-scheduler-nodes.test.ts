import { eq, inArray, sql } from '@fms/db'
import { emailOutbox, reportSchedules, users } from '@fms/db/schema'
import { createTestDb } from '@fms/db/testing'
import { provisionFleet, startSmtpServer, type TestSmtpServer } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SpawnedServer, spawnServer } from './testing/spawn-server.ts'
import { waitUntil } from './testing/wait.ts'

// Two server processes on one PostgreSQL, both checking report schedules every second: every
// schedule due is sent once per recipient, whichever node takes it.
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
        SMTP_URL: smtp.url,
        PUBLIC_URL: 'https://fleet.example.test',
        REPORT_SCHEDULE_CHECK_SEC: '1',
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

describe('scheduled reports on several nodes', () => {
  it('sends each due schedule once to each recipient', async () => {
    const [a, b] = nodes as [SpawnedServer, SpawnedServer]
    const scheduleIds: string[] = []
    const expected: string[] = []
    for (const [index, node] of [a, b, a].entries()) {
      const fleet = await provisionFleet(node.url, { orgName: `Nodes ${index}`, smtp })
      const colleague = await fleet.api.users.create.mutate({
        email: `nodes-${index}-${Date.now()}@example.com`,
        password: 'correct horse battery staple',
        role: 'user',
      })
      await scratch.db
        .update(users)
        .set({ emailVerifiedAt: new Date() })
        .where(inArray(users.email, [fleet.email, colleague.email]))
      for (const frequency of ['daily', 'weekly', 'monthly'] as const) {
        const schedule = await fleet.api.reports.schedules.create.mutate({
          name: `${frequency} ${index}`,
          frequency,
          sendHour: 0,
          recipientUserIds: [fleet.session.user.id, colleague.id],
        })
        scheduleIds.push(schedule.id)
        expected.push(`${fleet.email} ${schedule.name}`, `${colleague.email} ${schedule.name}`)
      }
    }
    await scratch.db
      .update(reportSchedules)
      .set({ nextRunAt: sql`now() - interval '1 minute'` })
      .where(inArray(reportSchedules.id, scheduleIds))

    const received = () =>
      smtp.messages
        .filter((m) => m.parsed.attachments.length > 0)
        .map((m) => `${m.to.join(',')} ${m.parsed.subject?.replace(/^\[FMS\] (.*): .*$/, '$1')}`)
    await waitUntil(() => received().length >= expected.length, {
      timeoutMs: 30_000,
      what: 'emails',
    })
    // Both nodes keep checking a while longer: nothing more arrives.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    expect(received().sort()).toEqual(expected.sort())
    const rows = await scratch.db
      .select({ nextRunAt: reportSchedules.nextRunAt, lastError: reportSchedules.lastError })
      .from(reportSchedules)
      .where(inArray(reportSchedules.id, scheduleIds))
    for (const row of rows) {
      expect(row.lastError).toBeNull()
      expect(row.nextRunAt.getTime()).toBeGreaterThan(Date.now())
    }
    const queued = await scratch.db
      .select({ id: emailOutbox.id })
      .from(emailOutbox)
      .where(eq(emailOutbox.purpose, 'report'))
    expect(queued).toHaveLength(expected.length)
  }, 120_000)
})
