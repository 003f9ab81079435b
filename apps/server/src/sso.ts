import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  type ApiDeps,
  addressKey,
  DEFAULT_AUTH_LIMITS,
  finishSso,
  recordSsoSignIn,
  SSO_CALLBACK_PATH,
  type SsoErrorCode,
  SsoFailure,
  startSso,
} from '@fms/api'
import type { ClientAddress } from './context.ts'
import { userAgentOf } from './context.ts'
import { errorFields, logger } from './logger.ts'
import { sendJson } from './send-json.ts'

export const SSO_START_PATH = '/api/sso/start'

type ClientInfo = Parameters<typeof recordSsoSignIn>[1]['client']

export { SSO_CALLBACK_PATH }

export interface SsoRouteDeps {
  deps: ApiDeps
  clientAddress: ClientAddress
  /** `PUBLIC_URL`; outside production, unset means the request's own origin. */
  publicUrl: string | undefined
  isProduction: boolean
}

/** Sign-ins one client address may start per sign-in window (each stores a row for 10 min). */
const STARTS_PER_ADDRESS = DEFAULT_AUTH_LIMITS.loginPerAddress

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, {
    Location: location,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  })
  res.end()
}

/** Back to the sign-in page with a short machine code, never free text. */
function redirectToLogin(res: ServerResponse, appUrl: string, code: SsoErrorCode): void {
  redirect(res, `${appUrl}/#/login?sso_error=${code}`)
}

/** Where the web app is (and the callback below it): `PUBLIC_URL`, or, outside production, here. */
function appUrlOf(req: IncomingMessage, route: SsoRouteDeps): string | null {
  if (route.publicUrl) return route.publicUrl.replace(/\/+$/, '')
  if (route.isProduction) return null
  const host = req.headers.host
  return host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? `http://${host}` : null
}

/**
 * `GET /api/sso/start?email=<e>` or `?org=<id>`, and `&browser=<key>`: 302 to the organization's provider, the sign-in's
 * state, nonce and PKCE verifier kept in the database (any node takes the callback).
 * `GET /api/sso/callback?code&state`: finishes it and 302s to `/#/sso?code=<one-time code>`;
 * every failure (any error, not only a refusal) goes to `/#/login?sso_error=<code>`, is logged
 * (the path, never the URL) and, for the callback, recorded in the audit log.
 */
export async function handleSso(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  route: SsoRouteDeps,
): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET')
    return sendJson(res, 405, { error: 'Method not allowed' })
  }
  const appUrl = appUrlOf(req, route)
  if (!appUrl) {
    logger.warn('single sign-on needs PUBLIC_URL in production')
    return sendJson(res, 503, { error: 'Single sign-on needs PUBLIC_URL to be set' })
  }
  try {
    const client = { clientIp: route.clientAddress(req), userAgent: userAgentOf(req) }
    if (url.pathname === SSO_START_PATH) await start(res, url, route, { appUrl, ...client })
    else await callback(res, url, route, { appUrl, client })
  } catch (error) {
    // Never rethrown: the server's generic error log would name the URL, which holds the
    // provider's code and state, or the email. Only the path and the error's kind are logged.
    logger.error('sso request failed', { path: url.pathname, ...safeErrorFields(error) })
    if (!res.headersSent) redirectToLogin(res, appUrl, 'failed')
    else res.end()
  }
}

/**
 * What may be logged of an unexpected error: its class and database error code. Not its message:
 * a failed query's message lists its parameters (the email, the state's digest).
 */
function safeErrorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { errorType: typeof error }
  const cause = error.cause as { code?: unknown } | undefined
  const code = (error as { code?: unknown }).code ?? cause?.code
  return { errorName: error.name, ...(typeof code === 'string' ? { errorCode: code } : {}) }
}

async function callback(
  res: ServerResponse,
  url: URL,
  route: SsoRouteDeps,
  request: { appUrl: string; client: ClientInfo },
): Promise<void> {
  const { appUrl, client } = request
  let failure: SsoFailure
  try {
    const signedIn = await finishSso(route.deps, url.searchParams)
    await recordSsoSignIn(route.deps, { outcome: { ok: true, signedIn }, client })
    logger.info('sso sign-in', { orgId: signedIn.orgId, userId: signedIn.userId })
    return redirect(res, `${appUrl}/#/sso?code=${signedIn.exchangeCode}`)
  } catch (error) {
    if (error instanceof SsoFailure) {
      failure = error
      logger.warn('sso sign-in refused', {
        code: error.code,
        reason: error.message,
        orgId: error.orgId,
        ...(error.cause ? errorFields(error.cause) : {}),
      })
    } else {
      failure = new SsoFailure('failed', 'Unexpected error', { cause: error })
      logger.error('sso sign-in failed', { path: url.pathname, ...safeErrorFields(error) })
    }
  }
  await recordSsoSignIn(route.deps, { outcome: { ok: false, failure }, client }).catch(
    (error: unknown) => {
      logger.error('sso audit row failed', { path: url.pathname, ...safeErrorFields(error) })
    },
  )
  redirectToLogin(res, appUrl, failure.code)
}

async function start(
  res: ServerResponse,
  url: URL,
  route: SsoRouteDeps,
  request: { appUrl: string; clientIp: string | null },
): Promise<void> {
  const { appUrl, clientIp } = request
  if (clientIp) {
    const { loginWindowMs: windowMs } = DEFAULT_AUTH_LIMITS
    const key = `sso-start:address:${addressKey(clientIp)}`
    const wait = await route.deps.authLimiter
      .reserve([{ key, limit: STARTS_PER_ADDRESS, windowMs }])
      .catch(() => 0)
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait))
      return sendJson(res, 429, { error: 'Too many sign-in attempts; try again later' })
    }
  }
  try {
    const location = await startSso(route.deps, {
      email: url.searchParams.get('email'),
      orgId: url.searchParams.get('org'),
      browser: url.searchParams.get('browser'),
      redirectUri: `${appUrl}${SSO_CALLBACK_PATH}`,
    })
    redirect(res, location)
  } catch (error) {
    if (error instanceof SsoFailure) {
      logger.warn('sso start refused', { code: error.code, orgId: error.orgId })
      return redirectToLogin(res, appUrl, error.code)
    }
    logger.error('sso start failed', { path: url.pathname, ...safeErrorFields(error) })
    redirectToLogin(res, appUrl, 'failed')
  }
}
