import { useSyncExternalStore } from 'react'

export type TRoute = '/' | '/login' | '/register'

const ROUTES: readonly TRoute[] = ['/', '/login', '/register']

function readRoute(): TRoute {
  const path = window.location.hash.replace(/^#/, '') || '/'
  return ROUTES.find((route) => route === path) ?? '/'
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

/** The current `#/path`; a minimal router for a handful of pages. */
export function useHashRoute(): TRoute {
  return useSyncExternalStore(subscribe, readRoute)
}

export function navigate(route: TRoute) {
  window.location.hash = route
}
