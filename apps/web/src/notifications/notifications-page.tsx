import { useInfiniteQuery } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { formatAlertKind } from '../alerts/alert-kinds'
import { DataTable } from '../components/data-table'
import { FormAlert } from '../components/form-alert'
import { ListFooter } from '../components/load-more'
import { StatusNotice } from '../components/status-notice'
import { formatDateTime } from '../lib/format'
import { flattenPages, readNextCursor, usePageMessages } from '../lib/use-page-messages'
import { useTRPC } from '../trpc'
import { hrefOfNotification } from './notification-bell'
import { NotificationTime } from './notification-summary'
import { SubscriptionsSection } from './subscriptions-section'
import { useMarkRead, useUnreadCount } from './use-notifications'
import './notifications.css'

const PAGE_SIZE = 50

/** The caller's in-app notifications (newest first, paged, refreshed live) and their subscriptions. */
export function NotificationsPage() {
  const trpc = useTRPC()
  const unreadOnlyId = useId()
  const [isUnreadOnly, setIsUnreadOnly] = useState(false)
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const unread = useUnreadCount()
  const markRead = useMarkRead({ onError: showActionError })
  const list = useInfiniteQuery(
    trpc.notifications.list.infiniteQueryOptions(
      { unreadOnly: isUnreadOnly, limit: PAGE_SIZE },
      { getNextPageParam: readNextCursor },
    ),
  )
  const items = flattenPages(list.data)
  const now = Date.now()

  function mark(input: { ids: string[] } | { all: true }, message: string) {
    setNotice(null)
    setActionError(null)
    markRead.mutate(input, { onSuccess: () => setNotice(message) })
  }

  return (
    <main className="page">
      <h1>Notifications</h1>
      <StatusNotice message={notice} />
      <div className="filter-bar">
        <div className="checkbox-field">
          <input
            id={unreadOnlyId}
            type="checkbox"
            checked={isUnreadOnly}
            onChange={(event) => setIsUnreadOnly(event.target.checked)}
          />
          <label htmlFor={unreadOnlyId}>Unread only</label>
        </div>
        <button
          type="button"
          className="secondary"
          disabled={markRead.isPending || unread === 0}
          onClick={() => mark({ all: true }, 'All notifications marked read.')}
        >
          Mark all read
        </button>
      </div>
      <FormAlert message={actionError} />
      <DataTable
        caption="Notifications"
        columns={['Time', 'Vehicle', 'Kind', 'Message', 'Status', 'Actions']}
      >
        {items.map((item) => {
          const kind = formatAlertKind(item.kind)
          const code = item.vehicleCode ?? 'Unknown vehicle'
          const isUnread = item.readAt === null
          return (
            <tr key={item.id} className={isUnread ? 'is-unread' : undefined}>
              <th scope="row">
                <NotificationTime time={item.createdAt} now={now} />
                <span className="muted notification-local-time">
                  {formatDateTime(item.createdAt)}
                </span>
              </th>
              <td>{code}</td>
              <td>{kind}</td>
              <td>{item.message}</td>
              <td>
                {isUnread ? <strong>Unread</strong> : 'Read'}
                {item.isRetracted && ', alert withdrawn'}
              </td>
              <td className="row-actions">
                <a
                  href={hrefOfNotification(item)}
                  onClick={() => {
                    if (isUnread) markRead.mutate({ ids: [item.id] })
                  }}
                >
                  Open alert
                </a>
                {isUnread && (
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Mark ${kind} notification of ${code} read`}
                    disabled={markRead.isPending}
                    onClick={() => mark({ ids: [item.id] }, 'Notification marked read.')}
                  >
                    Mark read
                  </button>
                )}
              </td>
            </tr>
          )
        })}
      </DataTable>
      <ListFooter
        query={list}
        count={items.length}
        what="notifications"
        emptyText={isUnreadOnly ? 'No unread notifications.' : 'No notifications yet.'}
      />
      <SubscriptionsSection />
    </main>
  )
}
