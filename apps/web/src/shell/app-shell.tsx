import { useMutation } from '@tanstack/react-query'
import { type ReactNode, useId, useRef } from 'react'
import { useLiveAlerts, useUnacknowledgedCount } from '../alerts/live-alerts'
import { session } from '../auth/session'
import { hrefTo, navigate, type TRoute } from '../lib/hash-route'
import { ConnectionIndicator } from '../live/connection-status'
import { NotificationBell } from '../notifications/notification-bell'
import { useLiveNotifications } from '../notifications/use-notifications'
import { OfflineBanner } from '../pwa/offline-banner'
import { findNavName, NAV_ROUTES } from '../routes/route-table'
import { useTRPC } from '../trpc'
import { useMe } from './use-me'
import { useMenu } from './use-menu'

/**
 * The signed-in frame: navigation (only what the role may use), live status, account, sign out.
 * Below a tablet width (styles.css) the navigation, account and sign-out fold into a menu behind
 * a button, leaving a one-row top bar; the same elements serve both layouts.
 */
export function AppShell({ route, children }: { route: TRoute; children: ReactNode }) {
  const trpc = useTRPC()
  const me = useMe()
  const logout = useMutation(trpc.auth.logout.mutationOptions())
  useLiveAlerts()
  useLiveNotifications()
  const unacknowledged = useUnacknowledgedCount()
  const isAdmin = me.data?.role === 'admin'
  const current = findNavName(route.name)
  const headerRef = useRef<HTMLElement>(null)
  const menu = useMenu(headerRef)
  const menuId = useId()

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
      <header className="top-bar" ref={headerRef}>
        <button
          ref={menu.buttonRef}
          type="button"
          className="menu-button secondary"
          aria-label="Menu"
          aria-expanded={menu.isOpen}
          aria-controls={menuId}
          onClick={menu.toggle}
        >
          <MenuIcon />
        </button>
        <a className="brand" href={hrefTo('map')}>
          FMS
        </a>
        <div id={menuId} ref={menu.menuRef} className="top-bar-menu" data-open={menu.isOpen}>
          <nav aria-label="Main">
            <ul className="nav-links">
              {NAV_ROUTES.filter((item) => isAdmin || item.access !== 'admin').map((item) => (
                <li key={item.name}>
                  <a
                    href={`#${item.path}`}
                    aria-current={current === item.name ? 'page' : undefined}
                  >
                    {item.navLabel}
                    {item.name === 'alerts' &&
                      unacknowledged !== null &&
                      unacknowledged !== '0' && (
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
          <div className="top-bar-account">
            {me.data && (
              <a href={hrefTo('account')} className="account-link">
                Signed in as {me.data.email}
              </a>
            )}
            <button type="button" onClick={signOut} disabled={logout.isPending}>
              Sign out
            </button>
          </div>
        </div>
        <div className="top-bar-end">
          <ConnectionIndicator />
          <NotificationBell />
        </div>
      </header>
      <OfflineBanner />
      {children}
    </div>
  )
}

function MenuIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24" focusable="false">
      <path fill="currentColor" d="M3 6h18v2H3V6Zm0 5h18v2H3v-2Zm0 5h18v2H3v-2Z" />
    </svg>
  )
}
