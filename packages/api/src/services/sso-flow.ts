import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { hashOpaqueToken } from '@fms/auth'
import type { Database } from '@fms/db'
import { uniqueViolation } from '@fms/db'
import { insertAuditRow } from '@fms/db/queries/audit-log'
import {
  claimSsoAttempt,
  claimSsoExchange,
  findEnabledSsoConfig,
  findSsoLinkedUser,
  findSsoOrgByDomain,
  findUserOrgByEmail,
  findUserSsoSubject,
  insertSsoAttempt,
  insertSsoExchange,
  insertSsoLink,
  lockEnabledSsoIssuer,
  markSsoEmailVerified,
} from '@fms/db/queries/sso'
import { createUser, findSessionUser } from '@fms/db/queries/users'
import type { ApiDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import { boundText } from './audit-redact.ts'
import { type ClientInfo, issueSession } from './auth.ts'
import { openStoredSecret } from './sso.ts'
import { discoverProvider, oidc } from './sso-oidc.ts'

export type SsoFlowDeps = Pick<ApiDeps, 'db' | 'ssoKey' | 'ssoAllowPrivateIssuers'>

/** How long a sign-in may stay at the provider, and how long its one-time exchange code lives. */
const ATTEMPT_TTL_MS = 10 * 60_000
const EXCHANGE_TTL_MS = 60_000
const SCOPE = 'openid email profile'

/**
 * Why a single sign-on ended without a session; the web app shows each as a message. Short
 * machine codes only: nothing the provider or the request said is reflected.
 */
export const SSO_ERROR_CODES = [
  /** No enabled single sign-on for that email's domain or organization. */
  'unavailable',
  /** The sign-in is unknown, used or older than ten minutes: start again. */
  'expired',
  /** The provider refused or the user cancelled there. */
  'denied',
  /** The code exchange or the ID token failed (provider unreachable, bad signature, …). */
  'failed',
  /** The provider gave no email, or did not say it is verified. */
  'email_unverified',
  /** The email's domain is not one the organization allows. */
  'domain_not_allowed',
  /**
   * The email belongs to a user of another organization, or to a user already linked to another
   * identity at this provider (a recycled address does not inherit the account).
   */
  'account_conflict',
  /**
   * The email's user is an admin or has two-factor sign-in on: not linked by email alone; they
   * sign in with their password (see docs/sso.md for how such an account moves to SSO).
   */
  'link_required',
  /** The sign-in link lacks the starting browser's key (an outdated page or a crafted link). */
  'invalid_request',
] as const
export type SsoErrorCode = (typeof SSO_ERROR_CODES)[number]

export class SsoFailure extends Error {
  readonly code: SsoErrorCode
  /** The organization and the email involved, when known (for the audit row). */
  readonly orgId: string | null
  readonly email: string | null

  constructor(
    code: SsoErrorCode,
    detail: string,
    context: { orgId?: string | null; email?: string | null; cause?: unknown } = {},
  ) {
    super(detail, { cause: context.cause })
    this.name = 'SsoFailure'
    this.code = code
    this.orgId = context.orgId ?? null
    this.email = context.email ?? null
  }
}

const SSO_ONLY_PREFIX = 'sso:'

/** `sso:` and 32 random bytes: no argon2id PHC string, so no password ever verifies against it. */
function unusablePasswordHash(): string {
  return `${SSO_ONLY_PREFIX}${randomBytes(32).toString('base64url')}`
}

/** True for the password hash of a user single sign-on created (no password of their own). */
export function isSsoOnlyPasswordHash(passwordHash: string): boolean {
  return passwordHash.startsWith(SSO_ONLY_PREFIX)
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase()
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The key of the browser that starts a sign-in: 32 random bytes, base64url, made by the web app
 * and kept in its sessionStorage. Only its digest is stored; the exchange must present it again,
 * so a callback or exchange code carried to another browser signs nobody in (login CSRF).
 */
const BROWSER_KEY = /^[A-Za-z0-9_-]{43}$/

/** Whether `key` is the browser key whose digest is `storedHash` (constant time). */
function isSameBrowser(key: string, storedHash: string): boolean {
  const given = Buffer.from(hashOpaqueToken(key), 'hex')
  const expected = Buffer.from(storedHash, 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

async function enabledConfig(db: Database, orgId: string) {
  const config = await findEnabledSsoConfig(db, orgId)
  if (!config) throw new SsoFailure('unavailable', 'No enabled single sign-on', { orgId })
  return config
}

async function providerFor(
  deps: SsoFlowDeps,
  config: { orgId: string; issuer: string; clientId: string; clientSecretSealed: string },
) {
  const clientSecret = deps.ssoKey && openStoredSecret(deps.ssoKey, config.clientSecretSealed)
  if (!clientSecret) {
    throw new SsoFailure('failed', 'The client secret is unreadable: enter it again', {
      orgId: config.orgId,
    })
  }
  try {
    return await discoverProvider({
      issuer: config.issuer,
      clientId: config.clientId,
      clientSecret,
      allowPrivateIssuers: deps.ssoAllowPrivateIssuers,
    })
  } catch (error) {
    throw new SsoFailure('failed', 'Provider discovery failed', {
      orgId: config.orgId,
      cause: error,
    })
  }
}

/**
 * Starts a sign-in at the organization's provider (by the email's domain or by organization id):
 * a fresh state, nonce and PKCE verifier stored for ten minutes (state as its digest), and the
 * provider's authorization URL to send the browser to.
 */
export async function startSso(
  deps: SsoFlowDeps,
  params: {
    email?: string | null
    orgId?: string | null
    browser?: string | null
    redirectUri: string
  },
): Promise<string> {
  const browser = params.browser ?? ''
  if (!BROWSER_KEY.test(browser)) throw new SsoFailure('invalid_request', 'No browser key')
  let orgId: string | null = null
  const email = params.email?.trim().toLowerCase() || null
  if (email?.includes('@') && email.length <= 254) {
    orgId = (await findSsoOrgByDomain(deps.db, domainOf(email)))?.orgId ?? null
  } else if (params.orgId && UUID.test(params.orgId)) {
    orgId = params.orgId
  }
  if (!orgId)
    throw new SsoFailure('unavailable', 'No single sign-on for this email or organization')
  const config = await enabledConfig(deps.db, orgId)
  const provider = await providerFor(deps, config)
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const codeVerifier = oidc.randomPKCECodeVerifier()
  await insertSsoAttempt(deps.db, {
    stateHash: hashOpaqueToken(state),
    orgId,
    codeVerifier,
    nonce,
    redirectUri: params.redirectUri,
    browserHash: hashOpaqueToken(browser),
    expiresAt: new Date(Date.now() + ATTEMPT_TTL_MS),
  })
  const url = oidc.buildAuthorizationUrl(provider, {
    redirect_uri: params.redirectUri,
    scope: SCOPE,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...(email ? { login_hint: email } : {}),
  })
  return url.href
}

/**
 * Trades the code for tokens (PKCE verifier; openid-client checks the ID token's signature,
 * issuer, audience, expiry and nonce) and answers the subject with its email claims: from the ID
 * token, or, when the provider keeps them out of it (many do, as the spec allows), from its
 * UserInfo endpoint, whose subject must be the ID token's.
 */
async function verifiedClaims(
  provider: oidc.Configuration,
  callbackUrl: URL,
  attempt: { codeVerifier: string; nonce: string },
  state: string,
): Promise<{ iss: string; sub: string; email?: unknown; email_verified?: unknown }> {
  const tokens = await oidc.authorizationCodeGrant(provider, callbackUrl, {
    pkceCodeVerifier: attempt.codeVerifier,
    expectedState: state,
    expectedNonce: attempt.nonce,
    idTokenExpected: true,
  })
  const claims = tokens.claims()
  if (!claims) throw new Error('No ID token')
  if (claims.email !== undefined) return claims
  const info = await oidc.fetchUserInfo(provider, tokens.access_token, claims.sub)
  return {
    iss: claims.iss,
    sub: claims.sub,
    email: info.email,
    email_verified: info.email_verified,
  }
}

/** A finished sign-in: the one-time code the web app trades for a session. */
export interface SsoSignedIn {
  exchangeCode: string
  userId: string
  orgId: string
  email: string
  isNewUser: boolean
}

/**
 * The provider's callback: takes the attempt its state names (once, on any node), trades the code
 * for tokens with the PKCE verifier (openid-client checks the ID token's signature, issuer,
 * audience, expiry and nonce), requires a verified email of an allowed domain, finds or creates
 * the user, and stores a one-time exchange code for 60 seconds. Throws `SsoFailure`.
 */
export async function finishSso(deps: SsoFlowDeps, query: URLSearchParams): Promise<SsoSignedIn> {
  const state = query.get('state')
  if (!state || state.length > 512) throw new SsoFailure('expired', 'No state')
  const attempt = await claimSsoAttempt(deps.db, hashOpaqueToken(state))
  if (!attempt) throw new SsoFailure('expired', 'Unknown, used or expired state')
  const orgId = attempt.orgId
  if (query.has('error')) throw new SsoFailure('denied', 'The provider refused', { orgId })
  const config = await enabledConfig(deps.db, orgId)
  const provider = await providerFor(deps, config)
  const callbackUrl = new URL(attempt.redirectUri)
  callbackUrl.search = query.toString()
  const claims = await verifiedClaims(provider, callbackUrl, attempt, state).catch(
    (error: unknown) => {
      throw new SsoFailure('failed', 'Code exchange or ID token check failed', {
        orgId,
        cause: error,
      })
    },
  )
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null
  if (!email?.includes('@') || email.length > 254 || claims.email_verified !== true) {
    throw new SsoFailure('email_unverified', 'No verified email', { orgId, email })
  }
  const owner = await findSsoOrgByDomain(deps.db, domainOf(email))
  if (owner?.orgId !== orgId) {
    throw new SsoFailure('domain_not_allowed', 'Domain not allowed', { orgId, email })
  }
  const identity = { orgId, issuer: claims.iss, subject: claims.sub }
  const { userId, isNewUser } = await resolveSsoUser(deps.db, identity, {
    email,
    defaultRole: config.defaultRole,
  }).catch(async (error: unknown) => {
    // Two first sign-ins of the same person raced: the other created the user; link to it.
    if (uniqueViolation(error) === null) throw error
    return resolveSsoUser(deps.db, identity, { email, defaultRole: config.defaultRole })
  })
  // Prefixed like the other FMS secrets, so the audit log redacts it wherever it appears.
  const exchangeCode = `fmx_${randomBytes(32).toString('base64url')}`
  await insertSsoExchange(deps.db, {
    codeHash: hashOpaqueToken(exchangeCode),
    userId,
    orgId,
    issuer: config.issuer,
    browserHash: attempt.browserHash,
    expiresAt: new Date(Date.now() + EXCHANGE_TTL_MS),
  })
  return { exchangeCode, userId, orgId, email, isNewUser }
}

/**
 * Whether an existing user of the organization may be linked to this identity by its verified
 * email: not when the user is already linked to another subject at this issuer (the provider
 * gave the address to someone else), and not an admin nor a user with two-factor sign-in on (an
 * email alone must not take over an account that proves more than the address).
 */
async function requireLinkable(
  db: Database,
  identity: { orgId: string; issuer: string; subject: string },
  user: { id: string; role: string; totpEnabledAt: Date | null },
  email: string,
): Promise<void> {
  const context = { orgId: identity.orgId, email }
  const linked = await findUserSsoSubject(db, { ...identity, userId: user.id })
  if (linked && linked.subject !== identity.subject) {
    throw new SsoFailure('account_conflict', 'Email of a user linked to another subject', context)
  }
  if (user.role === 'admin' || user.totpEnabledAt !== null) {
    throw new SsoFailure('link_required', 'Admin or two-factor user not linked by email', context)
  }
}

/**
 * The user of this identity: the one linked to it; else the organization's user with this email
 * (linked now, unless `requireLinkable` refuses: the provider verified the address); else a new user of the organization with its
 * default role, a verified email and a password that can never be used. An email of another
 * organization's user is refused: an account is never moved or signed into across organizations.
 */
async function resolveSsoUser(
  db: Database,
  identity: { orgId: string; issuer: string; subject: string },
  params: { email: string; defaultRole: 'admin' | 'user' },
): Promise<{ userId: string; isNewUser: boolean }> {
  return db.transaction(async (tx) => {
    const linked = await findSsoLinkedUser(tx, identity)
    if (linked) return { userId: linked.userId, isNewUser: false }
    const existing = await findUserOrgByEmail(tx, params.email)
    if (existing && existing.orgId !== identity.orgId) {
      throw new SsoFailure('account_conflict', 'Email of another organization', {
        orgId: identity.orgId,
        email: params.email,
      })
    }
    if (existing) await requireLinkable(tx, identity, existing, params.email)
    const user =
      existing ??
      (await createUser(tx, {
        orgId: identity.orgId,
        email: params.email,
        role: params.defaultRole,
        passwordHash: unusablePasswordHash(),
      }))
    await markSsoEmailVerified(tx, user.id)
    await insertSsoLink(tx, { ...identity, userId: user.id })
    return { userId: user.id, isNewUser: !existing }
  })
}

/**
 * Trades the callback's one-time code for a session (once, within 60 seconds), for the browser
 * that started the sign-in only: `browser` must be the key whose digest the attempt stored. A
 * wrong key is refused like an unknown code, and the code is spent either way. The organization's
 * single sign-on must still be enabled at the same issuer (its row share-locked while the session
 * is issued). The same answer as a password sign-in; the session is marked `sso`: the provider
 * was the second factor, so no local code is asked for.
 */
export async function exchangeSso(
  deps: Pick<ApiDeps, 'db' | 'jwt' | 'refreshTokenTtlSec'> & { client?: ClientInfo },
  input: { code: string; browser: string },
) {
  const claimed = await claimSsoExchange(deps.db, hashOpaqueToken(input.code))
  const session =
    claimed && isSameBrowser(input.browser, claimed.browserHash)
      ? await deps.db.transaction(async (tx) => {
          if (!(await lockEnabledSsoIssuer(tx, claimed))) return null
          const user = await findSessionUser(tx, claimed.userId)
          return user ? issueSession(deps, user, randomUUID(), tx, 'sso') : null
        })
      : null
  if (!session) {
    throw new AppError('UNAUTHORIZED', 'This single sign-on has expired; sign in again')
  }
  return { status: 'signed_in' as const, ...session, isTwoFactorSetupRequired: false }
}

/** Whether this email's domain signs in through an organization's enabled single sign-on. */
export async function describeSsoOptions(deps: Pick<ApiDeps, 'db'>, email: string) {
  return { available: (await findSsoOrgByDomain(deps.db, domainOf(email))) !== null }
}

/** The audit row of a single sign-on callback, success or failure, like a password sign-in's. */
export async function recordSsoSignIn(
  deps: Pick<ApiDeps, 'db'>,
  params: {
    outcome: { ok: true; signedIn: SsoSignedIn } | { ok: false; failure: SsoFailure }
    client: ClientInfo
  },
): Promise<void> {
  const { outcome, client } = params
  await insertAuditRow(deps.db, {
    orgId: outcome.ok ? outcome.signedIn.orgId : outcome.failure.orgId,
    actorType: outcome.ok ? 'user' : 'anonymous',
    actorId: outcome.ok ? outcome.signedIn.userId : null,
    actorEmail: outcome.ok ? outcome.signedIn.email : outcome.failure.email,
    action: 'auth.sso',
    outcome: outcome.ok ? 'ok' : 'error',
    errorCode: outcome.ok ? null : outcome.failure.code,
    objectType: 'user',
    objectId: outcome.ok ? outcome.signedIn.userId : null,
    clientIp: client.clientIp,
    userAgent: client.userAgent ? boundText(client.userAgent, 300) : null,
    changes: null,
    input: outcome.ok ? { isNewUser: outcome.signedIn.isNewUser } : null,
  })
}
