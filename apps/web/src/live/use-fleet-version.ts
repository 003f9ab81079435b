import { useEffect, useState } from 'react'
import type { TFleetStore } from './fleet-store'

/**
 * The store's version, updated at most every `intervalMs`: React views re-render a few times a
 * second however many frames arrive, which keeps React out of the live hot path.
 */
export function useFleetVersion(store: TFleetStore, intervalMs = 500): number {
  const [version, setVersion] = useState(store.getVersion())
  useEffect(() => {
    let timer = 0
    setVersion(store.getVersion())
    const unsubscribe = store.subscribe(() => {
      if (timer) return
      timer = window.setTimeout(() => {
        timer = 0
        setVersion(store.getVersion())
      }, intervalMs)
    })
    return () => {
      unsubscribe()
      window.clearTimeout(timer)
    }
  }, [store, intervalMs])
  return version
}

/** The current time, refreshed every `intervalMs` (statuses and ages change with time alone). */
export function useNow(intervalMs = 5_000): number {
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs)
    return () => window.clearInterval(timer)
  }, [intervalMs])
  return now
}
