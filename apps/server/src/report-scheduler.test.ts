import { and, eq, sql } from '@fms/db'
import { emailOutbox, reportSchedules, users } from '@fms/db/schema'
import {
  type Fleet,
  postTelemetry,
  provisionFleet,
  type ReceivedMail,
  startSmtpServer,
  type TestSmtpServer,
} from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findRetryAt, REPORT_RETRY } from './report-scheduler.ts'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { waitUntil } from './testing/wait.ts'

let smtp: TestSmtpServer
let server: RunningServer
const PUBLIC_URL = 'https://fleet.example.test'
/** Yesterday in UTC, the organizations' default zone: the period a daily report at 00:00 covers. */
const YESTERDAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)

beforeAll(async () => {
  smtp = await startSmtpServer()
  server = await startTestServer({
    INGEST_RATE_LIMIT: '0',
    SMTP_URL: smtp.url,
    SMTP_FROM: 'FMS Reports <reports@fleet.example.test>',
    PUBLIC_URL,
    REPORT_SCHEDULE_CHECK_SEC: '1',
  })
}, 60_000)
afterAll(async () => {
  await server?.close()
  await smtp?.close()
})

async function verify(email: string) {
  await server.db.db
    .update(users)
    .set({ emailVerifiedAt: new Date() })
    .where(eq(users.email, email))
}

/** Ten minutes at 60 km/h from 08:00 yesterday, then parked (the trip ends). */
async function driveYesterday(fleet: Fleet, deviceIndex = 0) {
  const start = Date.parse(`${YESTERDAY}T08:00:00Z`)
  const body = Array.from({ length: 61 + 20 }, (_, i) => {
    const isDriving = i <= 60
    return {
      device_id: fleet.deviceIds[deviceIndex],
      time: new Date(
        isDriving ? start + i * 10_000 : start + 600_000 + (i - 60) * 60_000,
      ).toISOString(),
      lat: 52.5,
      lon: 13 + Math.min(i, 60) * (1 / 6 / 67.77),
      speed: isDriving ? 60 : 0,
      ignition: isDriving,
    }
  })
  expect((await postTelemetry(server.url, { token: fleet.token.secret, body })).status).toBe(200)
}

/** Makes a schedule due now, as if its time had come. */
async function forceDue(id: string) {
  await server.db.db
    .update(reportSchedules)
    .set({ nextRunAt: sql`now() - interval '1 minute'` })
    .where(eq(reportSchedules.id, id))
}

async function findSchedule(id: string) {
  const [row] = await server.db.db.select().from(reportSchedules).where(eq(reportSchedules.id, id))
  return row
}

async function getText(path: string, token: string) {
  const answer = await fetch(new URL(path, server.url), {
    headers: { authorization: `Bearer ${token}` },
  })
  expect(answer.status).toBe(200)
  return answer.text()
}

const attachment = (mail: ReceivedMail, prefix: string) => {
  const found = mail.parsed.attachments.find((a) => a.filename?.startsWith(prefix))
  expect(found, `attachment ${prefix}`).toBeDefined()
  return found?.content.toString('utf8') ?? ''
}

describe('scheduled reports by email', () => {
  it('mails each verified recipient the daily and trips CSVs of the period, as the reports give them, once', async () => {
    const fleet = await provisionFleet(server.url, { codes: ['RPT-1', 'RPT-2'], smtp })
    await verify(fleet.email)
    const colleague = await fleet.api.users.create.mutate({
      email: `colleague-${Date.now()}@example.com`,
      password: 'correct horse battery staple',
      role: 'user',
    })
    await driveYesterday(fleet)
    const name = '<b>Evil</b> & "co" <script>alert(1)</script>'
    const schedule = await fleet.api.reports.schedules.create.mutate({
      name,
      frequency: 'daily',
      sendHour: 0,
      recipientUserIds: [fleet.session.user.id, colleague.id],
    })
    await forceDue(schedule.id)
    const mail = await smtp.waitFor(
      (m) => m.to.includes(fleet.email) && m.parsed.subject?.includes('Evil') === true,
      20_000,
    )
    // The CSVs are byte for byte what the reports page downloads for that day.
    const daily = await getText(
      `/api/reports/daily.csv?from=${YESTERDAY}&to=${YESTERDAY}&timeZone=UTC`,
      fleet.accessToken,
    )
    expect(attachment(mail, `fms-daily-${YESTERDAY}`)).toBe(daily)
    expect(daily.split('\r\n').filter(Boolean)).toHaveLength(3)
    const trips = await fleet.api.reports.tripsCsv.query({
      from: new Date(`${YESTERDAY}T00:00:00Z`),
      to: new Date(Date.parse(`${YESTERDAY}T00:00:00Z`) + 86_400_000),
    })
    expect(attachment(mail, `fms-trips-${YESTERDAY}`)).toBe(trips.csv)
    expect(trips.csv.split('\r\n').filter(Boolean)).toHaveLength(2)
    expect(trips.csv).toContain('RPT-1')
    // The summary: totals and the top vehicle, hostile text escaped, a link to the reports.
    const html = String(mail.parsed.html)
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<b>Evil')
    expect(html).toContain('&lt;b&gt;Evil&lt;/b&gt; &amp; &quot;co&quot;')
    expect(html).toContain('RPT-1')
    expect(html).toContain(`${PUBLIC_URL}/#/reports`)
    // The totals are the daily report's figures for that day.
    const report = await fleet.api.reports.daily.query({ from: YESTERDAY, to: YESTERDAY })
    const [day] = report.dayTotals
    const minutes = Math.round((day?.drivingSec ?? 0) / 60)
    expect(day?.tripCount).toBe(1)
    expect(mail.parsed.text).toContain(
      `2 vehicles: ${Math.round((day?.distanceKm ?? 0) * 10) / 10} km driven in 0 h ${minutes} min, 1 trip.`,
    )
    // Queued once, to the verified address only; the schedule moved on to tomorrow.
    await waitUntil(async () => (await findSchedule(schedule.id))?.lastRunAt != null, {
      timeoutMs: 10_000,
    })
    const row = await findSchedule(schedule.id)
    expect(row?.nextRunAt.getTime()).toBeGreaterThan(Date.now())
    expect(row?.lastError).toBeNull()
    const queued = await server.db.db
      .select({ to: emailOutbox.toAddress })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.orgId, fleet.orgId), eq(emailOutbox.purpose, 'report')))
    expect(queued).toEqual([{ to: fleet.email }])
    const reportsTo = (address: string) =>
      smtp.messages.filter((m) => m.to.includes(address) && m.parsed.attachments.length > 0)
    expect(reportsTo(colleague.email)).toEqual([])
    const listed = await fleet.api.reports.schedules.list.query()
    expect(listed.isEmailEnabled).toBe(true)
    expect(listed.items[0]?.lastRunAt).toBeInstanceOf(Date)
  }, 60_000)

  it('records a broken schedule and backs off without stopping the others', async () => {
    const fleet = await provisionFleet(server.url, { codes: ['BRK-1'], smtp })
    await verify(fleet.email)
    const create = (name: string) =>
      fleet.api.reports.schedules.create.mutate({
        name,
        frequency: 'weekly',
        sendHour: 0,
        recipientUserIds: [fleet.session.user.id],
      })
    const broken = await create('Broken')
    const healthy = await create('Healthy')
    // A zone the engine can't read (written past the API's check).
    await server.db.db
      .update(reportSchedules)
      .set({ timeZone: 'Mars/Olympus_Mons' })
      .where(eq(reportSchedules.id, broken.id))
    await forceDue(broken.id)
    await forceDue(healthy.id)
    await smtp.waitFor(
      (m) => m.to.includes(fleet.email) && m.parsed.subject?.includes('Healthy') === true,
      20_000,
    )
    await waitUntil(async () => (await findSchedule(broken.id))?.lastError != null, {
      timeoutMs: 10_000,
    })
    const row = await findSchedule(broken.id)
    expect(row?.lastError).toMatch(/Could not build or queue the report/)
    expect(row?.lastRunAt).toBeNull()
    expect(row?.nextRunAt.getTime()).toBeGreaterThan(Date.now() + 60_000)
  }, 60_000)

  it('sends nothing to a schedule whose recipients are all unverified, and says so', async () => {
    const fleet = await provisionFleet(server.url, { codes: ['UNV-1'], smtp })
    // Invited, not yet confirmed.
    const colleague = await fleet.api.users.create.mutate({
      email: `unverified-${Date.now()}@example.com`,
      password: 'correct horse battery staple',
      role: 'user',
    })
    const schedule = await fleet.api.reports.schedules.create.mutate({
      name: 'Nobody verified',
      frequency: 'monthly',
      sendHour: 0,
      recipientUserIds: [colleague.id],
    })
    await forceDue(schedule.id)
    await waitUntil(async () => (await findSchedule(schedule.id))?.lastRunAt != null, {
      timeoutMs: 10_000,
    })
    expect((await findSchedule(schedule.id))?.lastError).toBe(
      'No recipient has a verified email address',
    )
    const queued = await server.db.db
      .select({ id: emailOutbox.id })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.orgId, fleet.orgId), eq(emailOutbox.purpose, 'report')))
    expect(queued).toEqual([])
  }, 60_000)
})

describe('scheduled reports without email', () => {
  it('lists and edits schedules, says email is off, and sends nothing', async () => {
    const plain = await startTestServer({ REPORT_SCHEDULE_CHECK_SEC: '1' })
    try {
      const fleet = await provisionFleet(plain.url, { codes: ['OFF-1'] })
      const schedule = await fleet.api.reports.schedules.create.mutate({
        name: 'Off',
        frequency: 'daily',
        recipientUserIds: [fleet.session.user.id],
      })
      await fleet.api.reports.schedules.update.mutate({ id: schedule.id, sendHour: 9 })
      await plain.db.db
        .update(reportSchedules)
        .set({ nextRunAt: sql`now() - interval '1 minute'` })
        .where(eq(reportSchedules.id, schedule.id))
      const list = await fleet.api.reports.schedules.list.query()
      expect(list.isEmailEnabled).toBe(false)
      expect(list.items.map((s) => s.sendHour)).toEqual([9])
      await new Promise((resolve) => setTimeout(resolve, 2500))
      const [row] = await plain.db.db
        .select()
        .from(reportSchedules)
        .where(eq(reportSchedules.id, schedule.id))
      expect(row?.lastRunAt).toBeNull()
      expect(await plain.db.db.select({ id: emailOutbox.id }).from(emailOutbox)).toEqual([])
    } finally {
      await plain.close()
    }
  }, 60_000)
})

describe('findRetryAt', () => {
  const timing = { frequency: 'daily' as const, timeZone: 'Europe/Berlin', sendHour: 6 }
  // Due 2026-07-02 06:00 Berlin (04:00Z); the next is due a day later.
  const due = Date.parse('2026-07-02T04:00:00Z')

  it('waits longer the longer a run has been failing, within its bounds', () => {
    expect(findRetryAt(timing, due + 10_000)).toBe(due + 10_000 + REPORT_RETRY.minMs)
    expect(findRetryAt(timing, due + 3_600_000)).toBe(due + 3_600_000 + 1_800_000)
    expect(findRetryAt(timing, due + 16 * 3_600_000)).toBe(due + 22 * 3_600_000)
  })

  it('never waits past the next regular run', () => {
    expect(findRetryAt(timing, due + 23 * 3_600_000)).toBe(due + 24 * 3_600_000)
  })

  it('waits the longest when the timing itself is broken', () => {
    const now = Date.now()
    expect(findRetryAt({ ...timing, timeZone: 'Mars/Olympus_Mons' }, now)).toBe(
      now + REPORT_RETRY.maxMs,
    )
  })
})
