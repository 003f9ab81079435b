import type { EmailInsert } from '@fms/db/queries/email-outbox'
import { localizeMessage } from '../schemas/units.ts'
import { appLink, type EmailSettings, renderEmail } from './email-render.ts'
import { signUnsubscribeToken, type UnsubscribeTarget } from './notifications.ts'

/** A digest lists at most this many alerts; the rest are counted and linked. */
export const DIGEST_MAX_ROWS = 100

/** The path of the unsubscribe link (GET shows a confirmation, POST unsubscribes). */
export const UNSUBSCRIBE_PATH = '/api/notifications/unsubscribe'

export interface DueAlertItem {
  id: string
  orgId: string
  userId: string
  subscriptionId: string | null
  alertId: string | null
  vehicleId: string | null
  kind: string
  message: string
  alertTime: Date
  email: string
  vehicleCode: string | null
  timeZone: string | null
  distanceUnit: 'km' | 'mi'
  volumeUnit: 'L' | 'gal'
  temperatureUnit: 'C' | 'F'
}

/** `overspeed` → `Overspeed`, `geofence_enter` → `Geofence enter`. */
export function describeAlertKind(kind: string): string {
  const words = kind.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function formatTime(time: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(time)
  return `${text} (${timeZone})`
}

export function unsubscribeUrl(settings: EmailSettings, target: UnsubscribeTarget): string {
  const token = signUnsubscribeToken(settings, target)
  return `${settings.appUrl}${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(token)}`
}

/**
 * One email for one user's due notifications: a single alert reads as that alert (with a link
 * to it), several as a digest table. Carries an unsubscribe link (one subscription's, or all of
 * the user's when several are in it) and the List-Unsubscribe headers for one-click mail apps.
 */
export function renderAlertEmail(settings: EmailSettings, items: DueAlertItem[]): EmailInsert {
  const [first] = items
  if (!first) throw new Error('renderAlertEmail needs at least one notification')
  const subscriptions = new Set(items.map((item) => item.subscriptionId))
  const target: UnsubscribeTarget =
    subscriptions.size === 1 && first.subscriptionId
      ? { subscriptionId: first.subscriptionId }
      : { userId: first.userId }
  const unsubscribe = unsubscribeUrl(settings, target)
  const footer = [
    'You get this because of your notification settings in FMS.',
    `Change them: ${appLink(settings, '/notifications')}`,
  ]
  const footerLink = { label: 'Unsubscribe from these emails', url: unsubscribe }
  const zone = (item: DueAlertItem) => item.timeZone ?? 'UTC'
  const vehicle = (item: DueAlertItem) => item.vehicleCode ?? 'a removed vehicle'
  const content =
    items.length === 1
      ? {
          subject: `[FMS] ${describeAlertKind(first.kind)}: ${vehicle(first)}`,
          title: `${describeAlertKind(first.kind)} — ${vehicle(first)}`,
          paragraphs: [
            localizeMessage(first.message, first),
            `When: ${formatTime(first.alertTime, zone(first))}`,
          ],
          action: {
            label: 'Open the alert',
            url: appLink(settings, '/alerts', first.alertId ? { alert: first.alertId } : {}),
          },
          footer,
          footerLink,
        }
      : {
          subject: `[FMS] ${items.length} alerts`,
          title: `${items.length} alerts`,
          paragraphs:
            items.length > DIGEST_MAX_ROWS
              ? [`The first ${DIGEST_MAX_ROWS} are listed; see the rest in FMS.`]
              : [],
          table: {
            columns: ['When', 'Vehicle', 'Alert', 'Message'],
            rows: items
              .slice(0, DIGEST_MAX_ROWS)
              .map((item) => [
                formatTime(item.alertTime, zone(item)),
                vehicle(item),
                describeAlertKind(item.kind),
                localizeMessage(item.message, item),
              ]),
          },
          action: { label: 'Open the alerts', url: appLink(settings, '/alerts') },
          footer,
          footerLink,
        }
  return {
    orgId: first.orgId,
    userId: first.userId,
    purpose: items.length === 1 ? 'alert' : 'digest',
    toAddress: first.email,
    ...renderEmail(content),
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  }
}
