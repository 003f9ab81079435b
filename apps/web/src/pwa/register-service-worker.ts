/** The worker's URL: at the root, so its scope is the whole app. */
export const SERVICE_WORKER_URL = '/sw.js'

/**
 * Registers the service worker that keeps the app shell for offline starts (production builds
 * only: in development Vite serves unhashed modules it must not cache). A browser without
 * service workers, or one that refuses it (private mode, blocked storage), runs the app as before.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return
  window.addEventListener('load', () => {
    navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: '/' }).catch((error) => {
      console.warn('service worker not registered', error)
    })
  })
}
