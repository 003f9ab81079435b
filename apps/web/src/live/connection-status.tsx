import { useSyncExternalStore } from 'react'
import { wsClient } from '../trpc'
import { type TConnectionStatus, toConnectionStatus } from './connection-state'

const LABELS: Record<TConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  idle: 'Not connected',
}

let current: TConnectionStatus = toConnectionStatus(wsClient.connectionState.get())

function subscribe(onChange: () => void): () => void {
  const subscription = wsClient.connectionState.subscribe({
    next(state) {
      current = toConnectionStatus(state)
      onChange()
    },
  })
  return () => subscription.unsubscribe()
}

export function useConnectionStatus(): TConnectionStatus {
  return useSyncExternalStore(subscribe, () => current)
}

/** The WebSocket's state for people: announced politely when it changes. */
export function ConnectionIndicator() {
  const status = useConnectionStatus()
  return (
    <span role="status" className={`connection connection-${status}`} title="Live updates">
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{LABELS[status]}</span>
    </span>
  )
}
