import { createServer } from 'node:net'
import { eq } from '@fms/db'
import { claimDueEmails, enqueueEmails, markEmailResult } from '@fms/db/queries/email-outbox'
import { emailOutbox } from '@fms/db/schema'
import { createTestDb } from '@fms/db/testing'
import { startSmtpServer, type TestSmtpServer } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMailer } from './mailer.ts'

let scratch: Awaited<ReturnType<typeof createTestDb>>
let smtp: TestSmtpServer
beforeAll(async () => {
  scratch = await createTestDb()
  smtp = await startSmtpServer()
})
afterAll(async () => {
  await smtp?.close()
  await scratch?.close()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function queue(subject: string) {
  const [row] = await enqueueEmails(scratch.db, [
    {
      orgId: null,
      userId: null,
      purpose: 'alert',
      toAddress: 'ops@example.com',
      subject,
      textBody: 'text part',
      htmlBody: '<p>html part</p>',
      headers: { 'X-FMS-Test': subject },
      attachments: [{ filename: 'a.csv', contentType: 'text/csv', content: 'x,y\n1,2\n' }],
    },
  ])
  return row!.id
}

async function stateOf(id: string) {
  const [row] = await scratch.db.select().from(emailOutbox).where(eq(emailOutbox.id, id))
  return row!
}

describe('the mailer', () => {
  it('sends both parts, headers and attachments, and records it sent', async () => {
    const mailer = startMailer(scratch.db, {
      smtpUrl: smtp.url,
      from: 'FMS <fms@example.com>',
      autoStart: false,
    })
    const id = await queue('sent once')
    await mailer.runOnce()
    await mailer.close()
    const mail = await smtp.waitFor((m) => m.parsed.subject === 'sent once')
    expect(mail.to).toEqual(['ops@example.com'])
    expect(mail.parsed.text?.trim()).toBe('text part')
    expect(mail.parsed.html).toContain('<p>html part</p>')
    expect(mail.parsed.headers.get('x-fms-test')).toBe('sent once')
    expect(mail.parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([
      ['a.csv', 'x,y\n1,2\n'],
    ])
    expect(mail.parsed.messageId).toBe(`<${id}@example.com>`)
    expect(await stateOf(id)).toMatchObject({ status: 'sent', attempts: 1, lastError: null })
  })

  it('records a result only while its claim holds: a lapsed claim taken by another node writes nothing', async () => {
    const id = await queue('claimed twice')
    const now = new Date()
    const [first] = await claimDueEmails(scratch.db, { now, limit: 1, leaseMs: 1 })
    expect(first?.id).toBe(id)
    // The first claim's lease ran out; another node claims the same email.
    const later = new Date(now.getTime() + 10)
    const [second] = await claimDueEmails(scratch.db, { now: later, limit: 1, leaseMs: 60_000 })
    expect(second?.id).toBe(id)
    const result = {
      id,
      status: 'sent' as const,
      attempts: 1,
      nextAttemptAt: later,
      lastError: null,
      sentAt: later,
    }
    expect(await markEmailResult(scratch.db, result, first!.nextAttemptAt)).toBe(false)
    expect(await stateOf(id)).toMatchObject({ status: 'pending', attempts: 0 })
    expect(await markEmailResult(scratch.db, result, second!.nextAttemptAt)).toBe(true)
    expect(await stateOf(id)).toMatchObject({ status: 'sent', attempts: 1 })
  })

  it('retries a temporary refusal with backoff, and fails a permanent one at once', async () => {
    const mailer = startMailer(scratch.db, {
      smtpUrl: smtp.url,
      from: 'fms@example.com',
      autoStart: false,
      backoffMs: 200,
    })
    smtp.refuseNext(1, 451)
    const id = await queue('retried')
    await mailer.runOnce()
    const first = await stateOf(id)
    expect(first).toMatchObject({ status: 'pending', attempts: 1 })
    expect(first.lastError).toContain('451')
    // Not due again before the backoff.
    await mailer.runOnce()
    expect((await stateOf(id)).attempts).toBe(1)
    await sleep(300)
    await mailer.runOnce()
    expect(await stateOf(id)).toMatchObject({ status: 'sent', attempts: 2 })
    expect(smtp.messages.filter((m) => m.parsed.subject === 'retried')).toHaveLength(1)

    smtp.refuseNext(1, 550)
    const refused = await queue('refused')
    await mailer.runOnce()
    await mailer.close()
    expect(await stateOf(refused)).toMatchObject({ status: 'failed', attempts: 1 })
  })

  it('gives up on an SMTP server that never answers within its timeout, and keeps the email', async () => {
    const silent = createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const port = (silent.address() as { port: number }).port
    const mailer = startMailer(scratch.db, {
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: 'fms@example.com',
      autoStart: false,
      timeoutMs: 300,
    })
    const id = await queue('silent')
    const started = Date.now()
    await mailer.runOnce()
    await mailer.close()
    silent.close()
    expect(Date.now() - started).toBeLessThan(10_000)
    const state = await stateOf(id)
    expect(state).toMatchObject({ status: 'pending', attempts: 1 })
    expect(state.lastError).toMatch(/^ETIMEDOUT: /)
  })
})
