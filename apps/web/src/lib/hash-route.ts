import { HISTORY_MAX_DAYS } from '@fms/api/schemas'
import { useSyncExternalStore } from 'react'
import { ROUTE_ENTRIES, ROUTES, type TRouteName } from '../routes/route-table'

/** A time range in epoch ms, `from` before `to`. */
export interface TTimeSpan {
  from: number
  to: number
}

/** Routes whose path has no parameters. */
export type TStaticRouteName = Exclude<TRouteName, 'vehicle' | 'share'>

export type TRoute =
  | { [K in TStaticRouteName]: { name: K } }[TStaticRouteName]
  | { name: 'vehicle'; id: string; range?: TTimeSpan }
  | { name: 'share'; token: string }

export type { TRouteName }

const STATIC_ROUTES = new Map<string, TRoute>(
  ROUTE_ENTRIES.filter((entry) => !entry.path.includes(':')).map((entry) => [
    entry.path,
    { name: entry.name } as TRoute,
  ]),
)

/** A share link's token (`fsl_` + 43 base64url characters); anything else is not a share link. */
const SHARE_PATH = /^\/share\/(fsl_[A-Za-z0-9_-]{43})$/

const VEHICLE_PATH = new RegExp(`^${ROUTES.vehicle.path.replace(':id', '([0-9a-f-]{36})')}$`, 'i')
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
  const share = SHARE_PATH.exec(path)
  if (share?.[1]) return { name: 'share', token: share[1] }
  return STATIC_ROUTES.get(path || '/') ?? { name: 'map' }
}

/** The link to a page without parameters: `hrefTo('devices')` is `#/devices`. */
export function hrefTo(name: TStaticRouteName): string {
  return `#${ROUTES[name].path}`
}

/** The link to a vehicle's page, optionally opening a time range. */
export function vehicleHref(id: string, range?: TTimeSpan): string {
  const path = `#${ROUTES.vehicle.path.replace(':id', id)}`
  return range ? `${path}?from=${range.from}&to=${range.to}` : path
}

/** The `#/path` of a route, for links. */
export function formatRoute(route: TRoute): string {
  if (route.name === 'vehicle') return vehicleHref(route.id, route.range)
  if (route.name === 'share') return `#/share/${route.token}`
  return hrefTo(route.name)
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

/** The query of a `#/path?…` hash, for pages that take parameters beside their path. */
export function readHashQuery(hash: string = window.location.hash): URLSearchParams {
  const queryStart = hash.indexOf('?')
  return new URLSearchParams(queryStart < 0 ? '' : hash.slice(queryStart + 1))
}

/** The link to a page without path parameters, with a query: `#/alerts?alert=<id>`. */
export function hrefWithQuery(name: TStaticRouteName, query: Record<string, string>): string {
  const search = new URLSearchParams(query).toString()
  return search ? `${hrefTo(name)}?${search}` : hrefTo(name)
}

/** One parameter of the hash's query (`#/alerts?alert=<id>`), following hash changes; null when absent. */
export function useHashQueryParam(name: string): string | null {
  return useSyncExternalStore(subscribe, () => readHashQuery().get(name))
}
