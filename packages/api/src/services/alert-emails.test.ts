import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { DIGEST_MAX_ROWS, type DueAlertItem, renderAlertEmail } from './alert-emails.ts'
import { renderEmail } from './email-render.ts'
import { readUnsubscribeToken, signUnsubscribeToken } from './notifications.ts'

const settings = { appUrl: 'https://fms.example.test', linkSecret: 's'.repeat(64) }
const HOSTILE = '<script>alert(1)</script>"\'&\r\nBcc: victim@example.com'

function item(overrides: Partial<DueAlertItem> = {}): DueAlertItem {
  return {
    id: randomUUID(),
    orgId: randomUUID(),
    userId: 'a0000000-0000-4000-8000-000000000001',
    subscriptionId: 'b0000000-0000-4000-8000-000000000001',
    alertId: randomUUID(),
    vehicleId: randomUUID(),
    kind: 'geofence_enter',
    message: HOSTILE,
    alertTime: new Date('2026-07-01T10:00:00Z'),
    email: 'driver@example.com',
    vehicleCode: 'TRK-1',
    timeZone: 'Europe/Berlin',
    distanceUnit: 'km',
    volumeUnit: 'L',
    temperatureUnit: 'C',
    ...overrides,
  }
}

describe('renderEmail', () => {
  it('escapes every string in HTML and keeps the subject on one line', () => {
    const email = renderEmail({
      subject: HOSTILE,
      title: HOSTILE,
      paragraphs: [HOSTILE],
      table: { columns: [HOSTILE], rows: [[HOSTILE]] },
      action: { label: HOSTILE, url: 'https://x.test/?a="><b>' },
    })
    expect(email.subject).not.toMatch(/[\r\n]/)
    expect(email.htmlBody).not.toContain('<script>')
    expect(email.htmlBody).not.toContain('"><b>')
    expect(email.htmlBody).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;')
    expect(email.textBody).toContain('<script>alert(1)</script>')
  })
})

describe('renderAlertEmail', () => {
  it('writes one alert as itself: local time, link to the alert, unsubscribe for its subscription', () => {
    const one = item()
    const email = renderAlertEmail(settings, [one])
    expect(email).toMatchObject({ purpose: 'alert', toAddress: 'driver@example.com' })
    expect(email.subject).toBe('[FMS] Geofence enter: TRK-1')
    expect(email.textBody).toContain('01 Jul 2026, 12:00 (Europe/Berlin)')
    expect(email.textBody).toContain(`https://fms.example.test/#/alerts?alert=${one.alertId}`)
    const link = /<(.+)>/.exec(email.headers?.['List-Unsubscribe'] ?? '')?.[1] ?? ''
    const token = new URL(link).searchParams.get('token') ?? ''
    expect(readUnsubscribeToken(settings, token)).toEqual({ subscriptionId: one.subscriptionId })
    expect(email.htmlBody).not.toContain('<script>')
  })

  it("writes an alert's message in the reader's units", () => {
    const message = 'Overspeed: max 128.7 km/h over 100 km/h for 42 s'
    const imperial = renderAlertEmail(settings, [item({ message, distanceUnit: 'mi' })])
    expect(imperial.textBody).toContain('Overspeed: max 80 mph over 62.1 mph for 42 s')
    const metric = renderAlertEmail(settings, [item({ message })])
    expect(metric.textBody).toContain(message)
  })

  it('writes several as one digest, at most DIGEST_MAX_ROWS rows, unsubscribing from all when mixed', () => {
    const many = Array.from({ length: DIGEST_MAX_ROWS + 5 }, (_, i) =>
      item({ subscriptionId: i % 2 ? 'b0000000-0000-4000-8000-000000000002' : null }),
    )
    const email = renderAlertEmail(settings, many)
    expect(email.purpose).toBe('digest')
    expect(email.subject).toBe(`[FMS] ${DIGEST_MAX_ROWS + 5} alerts`)
    expect(email.htmlBody.match(/<tr>/g)).toHaveLength(DIGEST_MAX_ROWS + 1)
    expect(email.textBody).toContain(`The first ${DIGEST_MAX_ROWS} are listed`)
    const token = new URL(
      /<(.+)>/.exec(email.headers?.['List-Unsubscribe'] ?? '')?.[1] ?? '',
    ).searchParams.get('token')
    expect(readUnsubscribeToken(settings, token ?? '')).toEqual({ userId: many[0]?.userId })
  })
})

describe('unsubscribe tokens', () => {
  it('read back what they were signed for, and nothing altered or signed with another key', () => {
    const target = { subscriptionId: randomUUID() }
    const token = signUnsubscribeToken(settings, target)
    expect(readUnsubscribeToken(settings, token)).toEqual(target)
    const other = { ...settings, linkSecret: 't'.repeat(64) }
    expect(readUnsubscribeToken(other, token)).toBeNull()
    const swapped = token.replace(/^s\.[^.]+/, `s.${randomUUID()}`)
    expect(readUnsubscribeToken(settings, swapped)).toBeNull()
    expect(readUnsubscribeToken(settings, token.replace(/^s/, 'u'))).toBeNull()
    expect(readUnsubscribeToken(settings, `${token}x`)).toBeNull()
    expect(readUnsubscribeToken(settings, '')).toBeNull()
  })
})
