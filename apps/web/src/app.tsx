import { Suspense } from 'react'
import { useSession } from './auth/session'
import { type TRoute, useHashRoute } from './lib/hash-route'
import { useDocumentTitle } from './lib/use-document-title'
import { LiveFleetProvider } from './live/live-fleet'
import { renderRoutePage } from './routes/route-pages'
import { ROUTES, type TRouteDefinition } from './routes/route-table'
import { useDisplaySettingsKey } from './settings/use-display-settings'
import { AppShell } from './shell/app-shell'
import { useMe } from './shell/use-me'

export function App() {
  const signedIn = useSession() !== null
  const route = useHashRoute()
  const { access }: TRouteDefinition = ROUTES[route.name]
  // Pages opened from an emailed link stand alone, signed in or not.
  if (access === 'anyone') return <RoutePage route={route} />
  if (!signedIn) {
    return <RoutePage route={access === 'signed-out' ? route : { name: 'login' }} />
  }
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
  // Keyed by the reader's settings: a change re-renders the page in the new units (not the
  // pages that change them, which show no units and would lose their "saved" notice).
  const settingsKey = useDisplaySettingsKey()
  const pageKey = route.name === 'settings' || route.name === 'account' ? route.name : settingsKey
  const { access }: TRouteDefinition = ROUTES[route.name]
  // The sign-in and sign-up pages are for signed-out visitors; signed in, their links show the map.
  if (access === 'signed-out') return <RoutePage route={{ name: 'map' }} />
  if (access === 'admin' && me.data?.role !== 'admin') {
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
  return <RoutePage key={pageKey} route={route} />
}

/** A route's page, titled from the route table once it shows (pages titled null name themselves). */
function RoutePage({ route }: { route: TRoute }) {
  const { title }: TRouteDefinition = ROUTES[route.name]
  return (
    <>
      {title !== null && <DocumentTitle title={title} />}
      {renderRoutePage(route)}
    </>
  )
}

function DocumentTitle({ title }: { title: string }) {
  useDocumentTitle(title)
  return null
}
