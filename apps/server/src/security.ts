import type { IncomingMessage, ServerResponse } from 'node:http'

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'Content-Security-Policy':
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob: https:; " +
    "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; " +
    "base-uri 'self'; form-action 'self'",
}

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value)
}

/** True when a browser origin may call this server: the allowlist, or the server's own origin. */
export function isOriginAllowed(
  origin: string | undefined,
  req: IncomingMessage,
  allowlist: readonly string[],
): boolean {
  if (origin === undefined) return true
  if (allowlist.includes(origin)) return true
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}

/**
 * CORS for the allowlist only. A preflight from anywhere else gets no Access-Control headers, so
 * the browser blocks the call. Returns true when the request was a preflight and is answered.
 */
export function handleCors(
  req: IncomingMessage,
  res: ServerResponse,
  allowlist: readonly string[],
  methods = 'GET, POST, OPTIONS',
): boolean {
  const origin = req.headers.origin
  res.setHeader('Vary', 'Origin')
  const isAllowed = origin !== undefined && allowlist.includes(origin)
  if (isAllowed) res.setHeader('Access-Control-Allow-Origin', origin)
  if (req.method !== 'OPTIONS') return false
  if (isAllowed) {
    res.setHeader('Access-Control-Allow-Methods', methods)
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, trpc-accept')
    res.setHeader('Access-Control-Max-Age', '600')
  }
  res.statusCode = 204
  res.end()
  return true
}
