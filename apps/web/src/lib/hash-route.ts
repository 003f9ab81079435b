import { useSyncExternalStore } from 'react'

export type TRoute =
  | { name: 'map' }
  | { name: 'login' }
  | { name: 'register' }
  | { name: 'account' }
  | { name: 'vehicles' }
  | { name: 'vehicle'; id: string }
  | { name: 'devices' }
  | { name: 'tokens' }
  | { name: 'users' }
  | { name: 'alerts' }
  | { name: 'rules' }
  | { name: 'geofences' }
  | { name: 'reports' }

export type TRouteName = TRoute['name']

const STATIC_ROUTES: Record<string, TRoute> = {
  '/': { name: 'map' },
  '/login': { name: 'login' },
  '/register': { name: 'register' },
  '/account': { name: 'account' },
  '/vehicles': { name: 'vehicles' },
  '/devices': { name: 'devices' },
  '/tokens': { name: 'tokens' },
  '/users': { name: 'users' },
  '/alerts': { name: 'alerts' },
  '/rules': { name: 'rules' },
  '/geofences': { name: 'geofences' },
  '/reports': { name: 'reports' },
}

const VEHICLE_PATH = /^\/vehicles\/([0-9a-f-]{36})$/i

/** `#/vehicles/<id>` and the other `#/path`s; anything unknown is the live map. */
export function parseRoute(hash: string): TRoute {
  const path = hash.replace(/^#/, '') || '/'
  const vehicle = VEHICLE_PATH.exec(path)
  if (vehicle?.[1]) return { name: 'vehicle', id: vehicle[1].toLowerCase() }
  return STATIC_ROUTES[path] ?? { name: 'map' }
}

/** The `#/path` of a route, for links. */
export function formatRoute(route: TRoute): string {
  if (route.name === 'vehicle') return `#/vehicles/${route.id}`
  const path = Object.entries(STATIC_ROUTES).find(([, r]) => r.name === route.name)?.[0] ?? '/'
  return `#${path}`
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

let cachedHash: string | null = null
let cachedRoute: TRoute = { name: 'map' }

function readRoute(): TRoute {
  // useSyncExternalStore needs the same object for the same hash.
  if (window.location.hash !== cachedHash) {
    cachedHash = window.location.hash
    cachedRoute = parseRoute(cachedHash)
  }
  return cachedRoute
}

/** The current route; a minimal hash router for a handful of pages. */
export function useHashRoute(): TRoute {
  return useSyncExternalStore(subscribe, readRoute)
}

export function navigate(route: TRoute) {
  window.location.hash = formatRoute(route)
}
