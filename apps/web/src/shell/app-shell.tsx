import { useMutation } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { useLiveAlerts, useUnacknowledgedCount } from '../alerts/live-alerts'
import { session } from '../auth/session'
import { hrefTo, navigate, type TRoute } from '../lib/hash-route'
import { ConnectionIndicator } from '../live/connection-status'
import { NotificationBell } from '../notifications/notification-bell'
import { useLiveNotifications } from '../notifications/use-notifications'
import { findNavName, NAV_ROUTES } from '../routes/route-table'
import { useTRPC } from '../trpc'
import { useMe } from './use-me'

/** The signed-in frame: navigation (only what the role may use), live status, account, sign out. */
export function AppShell({ route, children }: { route: TRoute; children: ReactNode }) {
  const trpc = useTRPC()
  const me = useMe()
  const logout = useMutation(trpc.auth.logout.mutationOptions())
  useLiveAlerts()
  useLiveNotifications()
  const unacknowledged = useUnacknowledgedCount()
  const isAdmin = me.data?.role === 'admin'
  const current = findNavName(route.name)

  function signOut() {
    const signOutLocally = () => {
      session.clear()
      navigate({ name: 'login' })
    }
    const refreshToken = session.get()?.refreshToken
    if (!refreshToken) return signOutLocally()
    // Forget the tokens here even if the server can't be told: signing out must always work.
    logout.mutate({ refreshToken }, { onSettled: signOutLocally })
  }

  return (
    <div className="shell">
      <header className="top-bar">
        <a className="brand" href={hrefTo('map')}>
          FMS
        </a>
        <nav aria-label="Main">
          <ul className="nav-links">
            {NAV_ROUTES.filter((item) => isAdmin || item.access !== 'admin').map((item) => (
              <li key={item.name}>
                <a href={`#${item.path}`} aria-current={current === item.name ? 'page' : undefined}>
                  {item.navLabel}
                  {item.name === 'alerts' && unacknowledged !== null && unacknowledged !== '0' && (
                    <span className="nav-count" data-testid="unacknowledged-count">
                      {' '}
                      {unacknowledged}
                      <span className="visually-hidden"> unacknowledged</span>
                    </span>
                  )}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="top-bar-end">
          <ConnectionIndicator />
          <NotificationBell />
          {me.data && (
            <a href={hrefTo('account')} className="account-link">
              Signed in as {me.data.email}
            </a>
          )}
          <button type="button" onClick={signOut} disabled={logout.isPending}>
            Sign out
          </button>
        </div>
      </header>
      {children}
    </div>
  )
}
