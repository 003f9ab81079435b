import { type QueryKey, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'

const REFRESH_MIN_INTERVAL_MS = 300

/**
 * A function that refetches the queries under these keys, at most a few times a second however
 * often it is called (live messages come in bursts).
 */
export function useThrottledInvalidate(queryKeys: readonly QueryKey[]): () => void {
  const queryClient = useQueryClient()
  const timer = useRef(0)
  const keys = useRef(queryKeys)
  keys.current = queryKeys
  useEffect(() => () => window.clearTimeout(timer.current), [])
  return () => {
    if (timer.current) return
    timer.current = window.setTimeout(() => {
      timer.current = 0
      for (const queryKey of keys.current) void queryClient.invalidateQueries({ queryKey })
    }, REFRESH_MIN_INTERVAL_MS)
  }
}
