import { formatAlertKind } from '../alerts/alert-kinds'
import { toDisplayMessage } from '../lib/display-settings'
import { formatAge, formatDateTime } from '../lib/format'
import type { TNotification } from './use-notifications'

/** When: `5 min ago`, the local date and time on hover and for machines. */
export function NotificationTime({ time, now }: { time: Date; now: number }) {
  return (
    <time dateTime={time.toISOString()} title={formatDateTime(time)}>
      {formatAge(time.getTime(), now)}
    </time>
  )
}

/** One notification's words: kind and vehicle, the alert's message, when, unread or withdrawn. */
export function NotificationSummary({ item, now }: { item: TNotification; now: number }) {
  return (
    <>
      <span className="notification-head">
        {item.readAt === null && <span className="unread-dot" aria-hidden="true" title="Unread" />}
        <strong>{formatAlertKind(item.kind)}</strong>
        {' · '}
        {item.vehicleCode ?? 'Unknown vehicle'}
        {item.readAt === null && <span className="visually-hidden"> (unread)</span>}
        {item.isRetracted && <span className="muted"> (withdrawn)</span>}
      </span>
      <span className="notification-message">{toDisplayMessage(item.message)}</span>
      <span className="muted notification-time">
        <NotificationTime time={item.createdAt} now={now} />
      </span>
    </>
  )
}
