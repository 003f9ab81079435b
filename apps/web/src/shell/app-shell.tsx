import { useMutation } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { useLiveAlerts, useUnacknowledgedCount } from '../alerts/live-alerts'
import { session } from '../auth/session'
import { formatRoute, navigate, type TRoute, type TRouteName } from '../lib/hash-route'
import { ConnectionIndicator } from '../live/connection-status'
import { useTRPC } from '../trpc'
import { useMe } from './use-me'

const NAV: { name: TRouteName; label: string; isAdminOnly: boolean }[] = [
  { name: 'map', label: 'Live map', isAdminOnly: false },
  { name: 'vehicles', label: 'Vehicles', isAdminOnly: false },
  { name: 'devices', label: 'Devices', isAdminOnly: false },
  { name: 'alerts', label: 'Alerts', isAdminOnly: false },
  { name: 'reports', label: 'Reports', isAdminOnly: false },
  { name: 'rules', label: 'Rules', isAdminOnly: true },
  { name: 'geofences', label: 'Geofences', isAdminOnly: true },
  { name: 'tokens', label: 'API tokens', isAdminOnly: true },
  { name: 'webhooks', label: 'Webhooks', isAdminOnly: true },
  { name: 'users', label: 'Users', isAdminOnly: true },
]

/** Pages only an admin is offered; others see a notice instead. */
export function isAdminRoute(route: TRoute): boolean {
  return NAV.some((item) => item.name === route.name && item.isAdminOnly)
}

/** The signed-in frame: navigation (only what the role may use), live status, account, sign out. */
export function AppShell({ route, children }: { route: TRoute; children: ReactNode }) {
  const trpc = useTRPC()
  const me = useMe()
  const logout = useMutation(trpc.auth.logout.mutationOptions())
  useLiveAlerts()
  const unacknowledged = useUnacknowledgedCount()
  const isAdmin = me.data?.role === 'admin'
  const current = route.name === 'vehicle' ? 'vehicles' : route.name

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
        <a className="brand" href="#/">
          FMS
        </a>
        <nav aria-label="Main">
          <ul className="nav-links">
            {NAV.filter((item) => isAdmin || !item.isAdminOnly).map((item) => (
              <li key={item.name}>
                <a
                  href={formatRoute({ name: item.name } as TRoute)}
                  aria-current={current === item.name ? 'page' : undefined}
                >
                  {item.label}
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
          {me.data && (
            <a href="#/account" className="account-link">
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
