import type { createJwtService } from '@fms/auth'
import type { Database } from '@fms/db'
import type { LiveHub } from '@fms/live'
import type { AttemptLimiter } from './rate-limit.ts'
import type { AuthLimits } from './services/auth.ts'
import type { EmailSettings } from './services/email-render.ts'

export type JwtService = ReturnType<typeof createJwtService>

/** Long-lived services the API needs; built once by the server. */
export interface ApiDeps {
  db: Database
  jwt: JwtService
  /** Sign-in and sign-up attempts (per email, per client address), counted before the work. */
  authLimiter: AttemptLimiter
  /** Overrides of `DEFAULT_AUTH_LIMITS`. */
  authLimits?: Partial<AuthLimits>
  refreshTokenTtlSec: number
  /** Committed telemetry and fleet changes, fanned out to subscriptions. */
  live: LiveHub
  /**
   * Webhook URLs may resolve to loopback, private and other non-public addresses: for a local
   * receiver in development and tests only (`WEBHOOKS_ALLOW_PRIVATE_NETWORKS`). Default off.
   */
  allowPrivateWebhooks?: boolean
  /** After `tokens.rotate`, the old device secret keeps working this many seconds (default 24 h). */
  deviceTokenRotationGraceSec?: number
  /**
   * Set when the server can send email (`SMTP_URL`): emails are queued in `email_outbox` and sent
   * by the server's mailer. Undefined: email is off, and what needs it says so.
   */
  email?: EmailSettings | undefined
  /** Calls one integrator API key may make per window (default 600 a minute). */
  apiKeyRateLimit?: { limit: number; windowMs: number } | undefined
  /** HMAC key share-link tokens are derived under (from JWT_SECRET: changing it ends all links). */
  shareLinkKey: string
  /** The web app's public address (`PUBLIC_URL`), for full share-link URLs; unset: paths only. */
  publicUrl?: string | undefined
  /**
   * The key secrets stored in the database are sealed with (TOTP secrets), derived from the
   * server's JWT secret. Undefined: two-factor enrolment is unavailable and says so.
   */
  secretKey?: Buffer | undefined
  /**
   * The key single sign-on client secrets are sealed with (its own purpose label, derived from
   * the JWT secret). Undefined: single sign-on can't be set up and says so.
   */
  ssoKey?: Buffer | undefined
  /**
   * Email domains any organization's admin may claim for single sign-on without showing a
   * verified address there (`SSO_TRUSTED_DOMAINS`; `*.example.com` covers every domain under it),
   * normalised to lower-case punycode. For a self-hosted single company, above all with email off.
   */
  ssoTrustedDomains?: readonly string[] | undefined
  /**
   * Identity providers (and their token, UserInfo and key endpoints) may be on loopback, private
   * and other non-public addresses, over plain http too (`SSO_ALLOW_PRIVATE_ISSUERS`): a provider
   * inside the network, and tests. Default off.
   */
  ssoAllowPrivateIssuers?: boolean | undefined
}

/** What a service that only reads and writes the database takes. */
export type DbDeps = Pick<ApiDeps, 'db'>

/** The WebSocket a subscription runs on, and what it holds (WebSocket calls only). */
export interface LiveConnection {
  socket: {
    readonly bufferedAmount: number
    close(code?: number, reason?: string): void
    once(event: 'close', listener: () => void): unknown
    off(event: 'close', listener: () => void): unknown
  }
  activeSubscriptions: number
  /** Subscriptions per user id over all of this node's sockets, and the most one user may hold. */
  subscriptionsByUser?: Map<string, number>
  maxSubscriptionsPerUser?: number
}

/** What a request knows about its caller before the auth middleware checks it. */
export interface RequestInfo {
  /**
   * The raw access token (Authorization header, or WebSocket connectionParams.token); a share
   * link's token arrives the same way and is accepted only by the `shared.*` procedures.
   */
  accessToken: string | null
  clientIp: string | null
  /** The client's User-Agent header (bounded), for the audit log and the sessions list. */
  userAgent: string | null
  /** Sets a response header (HTTP only; a no-op on WebSocket). */
  setHeader: (name: string, value: string) => void
  /** Set on WebSocket connections: lets subscriptions watch their socket's backlog. */
  connection: LiveConnection | null
  /**
   * Sign-in-type calls (login, register, refresh) running now in this request or on this
   * WebSocket: one at a time, so a batch can't pack many guesses into one round trip.
   */
  credentialCalls: { active: number }
  /**
   * Whether the bearer may be an integrator API key (`fmk_…`): the REST API under /api/v1 only.
   * tRPC and its WebSocket take user access tokens alone.
   */
  acceptsApiKeys: boolean
}

export interface Context extends ApiDeps, RequestInfo {}

/** The context for tests and for `createCaller`: deps plus an optional bearer token. */
export function createInnerContext(deps: ApiDeps, info: Partial<RequestInfo> = {}): Context {
  return {
    ...deps,
    accessToken: info.accessToken ?? null,
    clientIp: info.clientIp ?? null,
    userAgent: info.userAgent ?? null,
    setHeader: info.setHeader ?? (() => {}),
    connection: info.connection ?? null,
    credentialCalls: info.credentialCalls ?? { active: 0 },
    acceptsApiKeys: info.acceptsApiKeys ?? false,
  }
}

/** `Authorization: Bearer <token>` -> token; anything else -> null. */
export function bearerToken(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header.trim())
  return match?.[1] ?? null
}
