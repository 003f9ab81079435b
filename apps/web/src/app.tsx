import { lazy, Suspense } from 'react'
import { LoginPage } from './auth/login-page'
import { RegisterPage } from './auth/register-page'
import { useSession } from './auth/session'
import { formatRoute, type TRoute, useHashRoute } from './lib/hash-route'
import { LiveFleetProvider } from './live/live-fleet'
import { LiveMapPage } from './map/live-map-page'
import { AccountPage } from './shell/account-page'
import { AppShell, isAdminRoute } from './shell/app-shell'
import { useMe } from './shell/use-me'

// Loaded on first visit: the map is the page people open; charts and admin forms can wait.
const VehiclePage = lazy(() =>
  import('./vehicle/vehicle-page').then((m) => ({ default: m.VehiclePage })),
)
const VehiclesPage = lazy(() =>
  import('./admin/vehicles-page').then((m) => ({ default: m.VehiclesPage })),
)
const DevicesPage = lazy(() =>
  import('./admin/devices-page').then((m) => ({ default: m.DevicesPage })),
)
const TokensPage = lazy(() =>
  import('./admin/tokens-page').then((m) => ({ default: m.TokensPage })),
)
const AlertsPage = lazy(() =>
  import('./alerts/alerts-page').then((m) => ({ default: m.AlertsPage })),
)
const RulesPage = lazy(() => import('./rules/rules-page').then((m) => ({ default: m.RulesPage })))
const GeofencesPage = lazy(() =>
  import('./geofences/geofences-page').then((m) => ({ default: m.GeofencesPage })),
)
const ReportsPage = lazy(() =>
  import('./reports/reports-page').then((m) => ({ default: m.ReportsPage })),
)
const UsersPage = lazy(() => import('./admin/users-page').then((m) => ({ default: m.UsersPage })))
const WebhooksPage = lazy(() =>
  import('./webhooks/webhooks-page').then((m) => ({ default: m.WebhooksPage })),
)

export function App() {
  const signedIn = useSession() !== null
  const route = useHashRoute()
  if (!signedIn) return route.name === 'register' ? <RegisterPage /> : <LoginPage />
  return (
    <LiveFleetProvider>
      <AppShell route={route}>
        <Suspense
          fallback={
            <p aria-busy="true" className="page">
              Loading…
            </p>
          }
        >
          <SignedInPage route={route} />
        </Suspense>
      </AppShell>
    </LiveFleetProvider>
  )
}

function SignedInPage({ route }: { route: TRoute }) {
  const me = useMe()
  if (isAdminRoute(route) && me.data?.role !== 'admin') {
    return (
      <main className="page">
        {me.data ? (
          <>
            <h1>Not available</h1>
            <p>This page is for administrators of {me.data.orgName}.</p>
          </>
        ) : (
          <p aria-busy="true">Loading…</p>
        )}
      </main>
    )
  }
  switch (route.name) {
    case 'vehicles':
      return <VehiclesPage />
    case 'vehicle':
      // Keyed by the whole link: another vehicle or range starts the page afresh.
      return <VehiclePage key={formatRoute(route)} vehicleId={route.id} range={route.range} />
    case 'devices':
      return <DevicesPage />
    case 'tokens':
      return <TokensPage />
    case 'users':
      return <UsersPage />
    case 'alerts':
      return <AlertsPage />
    case 'rules':
      return <RulesPage />
    case 'geofences':
      return <GeofencesPage />
    case 'reports':
      return <ReportsPage />
    case 'webhooks':
      return <WebhooksPage />
    case 'account':
      return <AccountPage />
    default:
      return <LiveMapPage />
  }
}
