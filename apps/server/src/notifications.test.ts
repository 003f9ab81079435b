import { eq, sql } from '@fms/db'
import { notificationSubscriptions, notifications, users } from '@fms/db/schema'
import {
  type Fleet,
  postTelemetry,
  provisionFleet,
  type ReceivedMail,
  startSmtpServer,
  subscribeNotifications,
  type TestSmtpServer,
} from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { waitUntil } from './testing/wait.ts'

let smtp: TestSmtpServer
let server: RunningServer
const open: { close(): Promise<void> }[] = []
const PUBLIC_URL = 'https://fleet.example.test'
const T0 = Math.floor((Date.now() - 3_600_000) / 1000) * 1000
let offset = 0

beforeAll(async () => {
  smtp = await startSmtpServer()
  server = await startTestServer({
    INGEST_RATE_LIMIT: '0',
    ALERTS_RULE_CACHE_SEC: '0',
    SMTP_URL: smtp.url,
    SMTP_FROM: 'FMS Alerts <alerts@fleet.example.test>',
    PUBLIC_URL,
  })
})
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()))
  await server?.close()
  await smtp?.close()
})

/** A fleet whose admin followed the verification link mailed at sign-up. */
async function verifiedFleet(codes: string[]) {
  const fleet = await provisionFleet(server.url, { codes, smtp })
  expect(fleet.session.user.emailVerified).toBe(true)
  return fleet
}

/** One closed overspeed episode on the fleet's first vehicle (a rule at 80 km/h must exist). */
async function speed(fleet: Fleet) {
  const start = T0 + offset
  offset += 60_000
  const points = [90, 90, 90, 50].map((kmh, i) => ({
    device_id: fleet.deviceIds[0],
    time: new Date(start + i * 1000).toISOString(),
    lat: 52.5 + i / 1e4,
    lon: 13.4,
    speed: kmh,
    ignition: true,
  }))
  const answer = await postTelemetry(server.url, { token: fleet.token.secret, body: points })
  expect(answer.status).toBe(200)
}

/** The message's header lines, unfolded (RFC 5322). */
const headersOf = (mail: ReceivedMail) =>
  mail.raw.split('\r\n\r\n')[0]?.replace(/\r\n(?=[ \t])/g, '') ?? ''

/** The alert emails to the fleet's admin (not the verification mail of its sign-up). */
const mailTo = (fleet: Fleet) => (mail: ReceivedMail) =>
  mail.to.includes(fleet.email) && (mail.parsed.subject ?? '').startsWith('[FMS]')

describe('alert notifications by email and in the app', () => {
  it('emails the subscriber with text, escaped HTML, a link to the alert and an unsubscribe link; shows it live in the app', async () => {
    const code = 'OVR-1'
    const fleet = await verifiedFleet([code])
    const colleague = await fleet.api.users.create.mutate({
      email: `colleague-${Date.now()}@example.com`,
      password: 'correct horse battery staple',
      role: 'user',
    })
    await fleet.api.rules.create.mutate({ kind: 'overspeed', threshold: 80, durationSec: 0 })
    await fleet.api.notifications.subscriptions.create.mutate({ kinds: ['overspeed'] })
    const live = subscribeNotifications(server.url, fleet.accessToken)
    open.push(live)
    await new Promise((resolve) => setTimeout(resolve, 300))

    await speed(fleet)
    const mail = await smtp.waitFor(mailTo(fleet), 20_000)
    const [alert] = (await fleet.api.alerts.list.query({})).items
    expect(mail.parsed.subject).toBe(`[FMS] Overspeed: ${code}`)
    expect(mail.parsed.from?.text).toContain('alerts@fleet.example.test')
    expect(mail.parsed.text).toContain(`${PUBLIC_URL}/#/alerts?alert=${alert?.id}`)
    expect(mail.parsed.text).toContain(alert?.message)
    expect(String(mail.parsed.html)).toContain(`href="${PUBLIC_URL}/#/alerts?alert=${alert?.id}"`)
    expect(headersOf(mail)).toMatch(
      /^List-Unsubscribe: <https:\/\/fleet\.example\.test\/api\/notifications\/unsubscribe\?token=/m,
    )
    expect(headersOf(mail)).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m)

    await waitUntil(() => live.notifications.length > 0, { timeoutMs: 5000, what: 'in-app' })
    expect(live.notifications[0]?.notification).toMatchObject({
      alertId: alert?.id,
      kind: 'overspeed',
      isRetracted: false,
    })
    expect(await fleet.api.notifications.unreadCount.query()).toEqual({ count: 1 })
    // Nobody else was told.
    const rows = await server.db.db
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(eq(notifications.alertId, alert?.id ?? ''))
    expect(rows.map((r) => r.userId)).not.toContain(colleague.id)
    expect(smtp.messages.filter(mailTo(fleet))).toHaveLength(1)
    expect(live.errors).toEqual([])
  })

  it('gathers a digest subscription’s alerts into one email when its window closes', async () => {
    const fleet = await verifiedFleet(['DIGEST-1'])
    await fleet.api.rules.create.mutate({ kind: 'overspeed', threshold: 80, durationSec: 0 })
    await fleet.api.notifications.subscriptions.create.mutate({
      channels: ['email'],
      digestMinutes: 60,
    })
    await speed(fleet)
    await speed(fleet)
    const pending = async () =>
      server.db.db
        .select({ dueAt: notifications.emailDueAt })
        .from(notifications)
        .innerJoin(users, eq(users.id, notifications.userId))
        .where(sql`${users.email} = ${fleet.email} and ${notifications.emailState} = 'pending'`)
    await waitUntil(async () => (await pending()).length === 2, {
      timeoutMs: 15_000,
      what: 'two pending notifications',
    })
    for (const row of await pending()) {
      expect(row.dueAt!.getTime() % 3_600_000).toBe(0)
      expect(row.dueAt!.getTime()).toBeGreaterThan(Date.now())
    }
    expect(smtp.messages.filter(mailTo(fleet))).toEqual([])
    // The window closes (moved to now instead of waiting the hour).
    await server.db.db.execute(
      sql`update notifications set email_due_at = now() where email_state = 'pending' and user_id = (select id from users where email = ${fleet.email})`,
    )
    const mail = await smtp.waitFor(mailTo(fleet), 20_000)
    expect(mail.parsed.subject).toBe('[FMS] 2 alerts')
    expect(mail.parsed.text?.match(/DIGEST-1/g)).toHaveLength(2)
    await new Promise((resolve) => setTimeout(resolve, 3000))
    expect(smtp.messages.filter(mailTo(fleet))).toHaveLength(1)
  })

  it('unsubscribes by the email’s link: GET only asks, POST stops the emails, forged tokens do nothing', async () => {
    const fleet = await verifiedFleet(['UNSUB-1'])
    await fleet.api.rules.create.mutate({ kind: 'overspeed', threshold: 80, durationSec: 0 })
    const subscription = await fleet.api.notifications.subscriptions.create.mutate({})
    await speed(fleet)
    const mail = await smtp.waitFor(mailTo(fleet), 20_000)
    const link = /^List-Unsubscribe: <([^>]+)>/m.exec(headersOf(mail))?.[1] ?? ''
    const url = link.replace(PUBLIC_URL, server.url)

    const page = await fetch(url)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<form method="post"')
    const channels = async () =>
      (
        await server.db.db
          .select({ channels: notificationSubscriptions.channels })
          .from(notificationSubscriptions)
          .where(eq(notificationSubscriptions.id, subscription.id))
      )[0]?.channels
    expect(await channels()).toEqual(['in_app', 'email'])

    const forged = url.replace(/.(&|$)/, (m) => (m[0] === 'A' ? 'B' : 'A') + m.slice(1))
    const refused = await fetch(forged, { method: 'POST' })
    expect(refused.status).toBe(400)
    expect(await channels()).toEqual(['in_app', 'email'])

    const done = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(done.status).toBe(200)
    expect(await done.text()).toContain('You are unsubscribed')
    expect(await channels()).toEqual(['in_app'])

    // The next alert is still listed in the app, and no email goes out.
    await speed(fleet)
    await waitUntil(async () => (await fleet.api.notifications.unreadCount.query()).count === 2, {
      timeoutMs: 15_000,
      what: 'the second in-app notification',
    })
    await new Promise((resolve) => setTimeout(resolve, 3000))
    expect(smtp.messages.filter(mailTo(fleet))).toHaveLength(1)
  })

  it('says email is on', async () => {
    const fleet = await verifiedFleet(['STATUS-1'])
    expect(await fleet.api.notifications.emailStatus.query()).toEqual({ isEmailEnabled: true })
  })
})
