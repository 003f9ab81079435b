// The FMS service worker: keeps the app shell so the app opens without a network, and nothing
// else. It answers only three kinds of request, each same-origin GET:
// - the page itself (a navigation to `/`): network first, the cached copy when the network fails
//   or takes longer than NAVIGATION_TIMEOUT_MS, so a deploy is picked up on the next load;
// - content-hashed build files (`/assets/…`): cache first, they never change under a name;
// - the manifest and icons: network first, cached for offline.
// Every other request (tRPC, `/api/…`, ingestion, map tiles, the WebSocket) never reaches a cache:
// positions, alerts and figures are always live or visibly missing, never stale.

const VERSION = 'v1'
const SHELL_CACHE = `fms-shell-${VERSION}`
const ASSET_CACHE = `fms-assets-${VERSION}`
const INDEX_URL = '/'
const SHELL_FILES = [
  '/manifest.webmanifest',
  '/icons/icon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/maskable-512.png',
]
const NAVIGATION_TIMEOUT_MS = 4000
const ASSET_REFERENCE = /\/assets\/[A-Za-z0-9._-]+/g

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      await cacheIndex(await fetch(INDEX_URL, { cache: 'no-cache' }))
      const shell = await caches.open(SHELL_CACHE)
      await shell.addAll(SHELL_FILES)
      // A new worker only changes how the shell is fetched: safe to take over at once.
      await self.skipWaiting()
    })(),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL_CACHE, ASSET_CACHE])
      for (const name of await caches.keys()) {
        if (name.startsWith('fms-') && !keep.has(name)) await caches.delete(name)
      }
      await self.clients.claim()
    })(),
  )
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return
  if (request.mode === 'navigate' && (url.pathname === '/' || url.pathname === '/index.html')) {
    event.respondWith(serveIndex(event))
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(serveAsset(request))
  } else if (SHELL_FILES.includes(url.pathname)) {
    event.respondWith(serveShellFile(request))
  }
})

/** The page from the network when it answers in time, else the cached copy. */
async function serveIndex(event) {
  const fromNetwork = fetch(event.request, { cache: 'no-cache' }).then(async (response) => {
    if (response.ok) await cacheIndex(response.clone())
    return response
  })
  // Keeps the worker alive until the fresh copy is cached, even when the cached one answered.
  event.waitUntil(fromNetwork.catch(() => undefined))
  const timeout = new Promise((resolve) => setTimeout(resolve, NAVIGATION_TIMEOUT_MS))
  try {
    const response = await Promise.race([fromNetwork, timeout])
    if (response) return response
  } catch {
    // Offline: fall through to the cached page.
  }
  const cached = await caches.match(INDEX_URL, { cacheName: SHELL_CACHE })
  return cached ?? fromNetwork
}

/**
 * Stores the page and the build files it names. A page naming other files than the cached one is
 * a new build: the old build's files are dropped so the cache holds one build at a time.
 */
async function cacheIndex(response) {
  if (!response.ok || response.type !== 'basic') return
  const html = await response.clone().text()
  const assets = new Set(html.match(ASSET_REFERENCE) ?? [])
  const shell = await caches.open(SHELL_CACHE)
  const previous = await shell.match(INDEX_URL)
  await shell.put(INDEX_URL, response)
  const assetCache = await caches.open(ASSET_CACHE)
  if (previous) {
    const previousAssets = new Set((await previous.text()).match(ASSET_REFERENCE) ?? [])
    const isNewBuild = [...assets].some((asset) => !previousAssets.has(asset))
    if (isNewBuild) {
      for (const request of await assetCache.keys()) {
        if (!assets.has(new URL(request.url).pathname)) await assetCache.delete(request)
      }
    }
  }
  await Promise.all(
    [...assets].map(async (asset) => {
      if (!(await assetCache.match(asset))) await assetCache.add(asset)
    }),
  )
}

async function serveAsset(request) {
  const cached = await caches.match(request, { cacheName: ASSET_CACHE })
  if (cached) return cached
  const response = await fetch(request)
  if (response.ok && response.type === 'basic') {
    const assetCache = await caches.open(ASSET_CACHE)
    await assetCache.put(request, response.clone())
  }
  return response
}

async function serveShellFile(request) {
  try {
    const response = await fetch(request, { cache: 'no-cache' })
    if (response.ok) {
      const shell = await caches.open(SHELL_CACHE)
      await shell.put(request, response.clone())
    }
    return response
  } catch (error) {
    const cached = await caches.match(request, { cacheName: SHELL_CACHE })
    if (cached) return cached
    throw error
  }
}
