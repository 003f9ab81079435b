/** tRPC answers HTTP and WebSocket on the same path, on the origin that served the app. */
export const TRPC_URL = '/trpc'

export function toWebSocketUrl(path: string, location: Location = window.location): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${protocol}//${location.host}${path}`
}
