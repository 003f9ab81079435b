import { useQuery } from '@tanstack/react-query'
import { useEffect, useId, useRef, useState } from 'react'
import { hrefTo, hrefWithQuery } from '../lib/hash-route'
import { useTRPC } from '../trpc'
import { NotificationSummary } from './notification-summary'
import { describeBell, formatUnreadBadge } from './unread-count'
import { type TNotification, useMarkRead, useUnreadCount } from './use-notifications'

/** Notifications the panel shows. */
export const PANEL_LIMIT = 10

/** Where a notification leads: its alert on the alerts page, or the notifications page. */
export function hrefOfNotification(item: Pick<TNotification, 'alertId'>): string {
  return item.alertId ? hrefWithQuery('alerts', { alert: item.alertId }) : hrefTo('notifications')
}

/**
 * The top bar's bell: the unread count (kept current by the shell's live subscription), opening
 * a panel of the latest notifications. Escape or a click outside closes it; following one marks
 * it read.
 */
export function NotificationBell() {
  const count = useUnreadCount()
  const [isOpen, setIsOpen] = useState(false)
  const panelId = useId()
  const rootRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const markRead = useMarkRead()
  const badge = formatUnreadBadge(count)

  useEffect(() => {
    if (!isOpen) return
    const closeOutside = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setIsOpen(false)
    }
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      setIsOpen(false)
      buttonRef.current?.focus()
    }
    const close = () => setIsOpen(false)
    document.addEventListener('pointerdown', closeOutside)
    document.addEventListener('keydown', closeOnEscape)
    window.addEventListener('hashchange', close)
    return () => {
      document.removeEventListener('pointerdown', closeOutside)
      document.removeEventListener('keydown', closeOnEscape)
      window.removeEventListener('hashchange', close)
    }
  }, [isOpen])

  return (
    <div className="bell" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="bell-button secondary"
        aria-label={describeBell(count)}
        aria-expanded={isOpen}
        aria-controls={isOpen ? panelId : undefined}
        onClick={() => setIsOpen((open) => !open)}
      >
        <BellIcon />
        {badge && (
          <span className="bell-badge" aria-hidden="true" data-testid="unread-badge">
            {badge}
          </span>
        )}
      </button>
      {isOpen && (
        <NotificationPanel
          id={panelId}
          unread={count ?? 0}
          isMarking={markRead.isPending}
          onMarkAllRead={() => markRead.mutate({ all: true })}
          onFollow={(item) => {
            if (item.readAt === null) markRead.mutate({ ids: [item.id] })
            setIsOpen(false)
          }}
        />
      )}
    </div>
  )
}

interface TPanelProps {
  id: string
  unread: number
  isMarking: boolean
  onMarkAllRead: () => void
  onFollow: (item: TNotification) => void
}

function NotificationPanel({ id, unread, isMarking, onMarkAllRead, onFollow }: TPanelProps) {
  const trpc = useTRPC()
  const list = useQuery(trpc.notifications.list.queryOptions({ limit: PANEL_LIMIT }))
  const items = list.data?.items ?? []
  const now = Date.now()
  return (
    <section id={id} className="bell-panel card" aria-label="Latest notifications">
      <div className="bell-panel-head">
        <h2>Notifications</h2>
        <button
          type="button"
          className="secondary"
          disabled={isMarking || unread === 0}
          onClick={onMarkAllRead}
        >
          Mark all read
        </button>
      </div>
      {list.isPending && <p aria-busy="true">Loading…</p>}
      {list.isError && <p role="alert">Could not load notifications: {list.error.message}</p>}
      {list.isSuccess && items.length === 0 && (
        <p className="muted">
          Nothing yet. Choose what you are told about on the notifications page.
        </p>
      )}
      {items.length > 0 && (
        <ul className="bell-list">
          {items.map((item) => (
            <li key={item.id} className={item.readAt === null ? 'is-unread' : undefined}>
              <a href={hrefOfNotification(item)} onClick={() => onFollow(item)}>
                <NotificationSummary item={item} now={now} />
              </a>
            </li>
          ))}
        </ul>
      )}
      <a className="bell-all" href={hrefTo('notifications')}>
        All notifications and what you are told about
      </a>
    </section>
  )
}

function BellIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" focusable="false">
      <path
        fill="currentColor"
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
      />
    </svg>
  )
}
