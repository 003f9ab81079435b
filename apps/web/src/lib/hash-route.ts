import { HISTORY_MAX_DAYS } from '@fms/api/schemas'
import { useSyncExternalStore } from 'react'

/** A time range in epoch ms, `from` before `to`. */
export interface TTimeSpan {
  from: number
  to: number
}

export type TRoute =
  | { name: 'map' }
  | { name: 'login' }
  | { name: 'register' }
  | { name: 'account' }
  | { name: 'vehicles' }
  | { name: 'vehicle'; id: string; range?: TTimeSpan }
  | { name: 'devices' }
  | { name: 'tokens' }
  | { name: 'users' }
  | { name: 'alerts' }
  | { name: 'rules' }
  | { name: 'geofences' }
  | { name: 'reports' }
  | { name: 'webhooks' }

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
  '/webhooks': { name: 'webhooks' },
}

const VEHICLE_PATH = /^\/vehicles\/([0-9a-f-]{36})$/i
/** Epoch ms as plain digits: no signs, exponents, fractions or hex. */
const EPOCH_MS = /^\d{1,16}$/
/** The last instant a `Date` can hold. */
const MAX_EPOCH_MS = 8.64e15
/** The longest range the vehicle page may ask history for (the API's limit). */
export const MAX_RANGE_MS = HISTORY_MAX_DAYS * 86_400_000

function readEpochMs(value: string | null): number | null {
  if (value === null || !EPOCH_MS.test(value)) return null
  const ms = Number(value)
  return ms <= MAX_EPOCH_MS ? ms : null
}

/** `from=<ms>&to=<ms>` as a range, or undefined when missing, malformed, reversed or too long. */
export function parseTimeSpan(query: string): TTimeSpan | undefined {
  const params = new URLSearchParams(query)
  const from = readEpochMs(params.get('from'))
  const to = readEpochMs(params.get('to'))
  if (from === null || to === null || from >= to || to - from > MAX_RANGE_MS) return undefined
  return { from, to }
}

/**
 * `#/vehicles/<id>` (optionally `?from=<ms>&to=<ms>`) and the other `#/path`s; anything unknown
 * is the live map. A range that doesn't make sense is dropped, never an error.
 */
export function parseRoute(hash: string): TRoute {
  const full = hash.replace(/^#/, '')
  const queryStart = full.indexOf('?')
  const path = queryStart < 0 ? full : full.slice(0, queryStart)
  const query = queryStart < 0 ? '' : full.slice(queryStart + 1)
  const vehicle = VEHICLE_PATH.exec(path)
  if (vehicle?.[1]) {
    const id = vehicle[1].toLowerCase()
    const range = parseTimeSpan(query)
    return range ? { name: 'vehicle', id, range } : { name: 'vehicle', id }
  }
  return STATIC_ROUTES[path || '/'] ?? { name: 'map' }
}

/** The `#/path` of a route, for links. */
export function formatRoute(route: TRoute): string {
  if (route.name === 'vehicle') {
    const path = `#/vehicles/${route.id}`
    return route.range ? `${path}?from=${route.range.from}&to=${route.range.to}` : path
  }
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
