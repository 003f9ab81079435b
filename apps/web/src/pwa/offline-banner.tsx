import { useSyncExternalStore } from 'react'

function subscribe(onChange: () => void): () => void {
  window.addEventListener('online', onChange)
  window.addEventListener('offline', onChange)
  return () => {
    window.removeEventListener('online', onChange)
    window.removeEventListener('offline', onChange)
  }
}

/** Whether the browser says it has a network connection. */
export function useIsOnline(): boolean {
  return useSyncExternalStore(subscribe, () => navigator.onLine)
}

/**
 * Said while the device is offline: the app shell still opens from the service worker's cache,
 * but positions and figures on screen stop at the moment the connection was lost.
 */
export function OfflineBanner() {
  const isOnline = useIsOnline()
  return (
    <div role="status" className="offline-banner" hidden={isOnline}>
      {!isOnline && 'Offline: what is shown is not live and updates when the connection is back.'}
    </div>
  )
}
