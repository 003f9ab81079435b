import { looksLikeApiKey } from '@fms/auth'
import { findOpenRefreshFamily } from '@fms/db/queries/refresh-tokens'
import {
  findCallerById,
  type findUserById,
  isIssuedBeforeSessionsEnded,
} from '@fms/db/queries/users'
import type { ApiDeps, RequestInfo } from './context.ts'
import { resolveVehicleScope, type VehicleScope } from './scope.ts'
import { authenticateApiKey } from './services/api-keys.ts'

export type AuthenticatedUser = NonNullable<Awaited<ReturnType<typeof findUserById>>>

/**
 * The caller behind an access token: the token verified, then the user loaded fresh from the
 * database, so a deleted user or a lowered role takes effect on the next call, not when the token
 * expires; a token issued before the user's password last changed is refused, and so is one whose
 * session (`sid`, its refresh-token family) was revoked (one indexed lookup; tokens issued before
 * access tokens carried `sid` skip it and end with their lifetime). With the user
 * comes the vehicles they may see (`scope`, see scope.ts). Null for every kind
 * of failure (none, bad, expired, user gone, sessions ended): one answer, 401. The
 * one check behind tRPC's protected procedures and the raw HTTP endpoints that take the token.
 */
export async function authenticateAccessToken(
  deps: Pick<ApiDeps, 'db' | 'jwt'>,
  accessToken: string | null,
): Promise<{
  user: AuthenticatedUser
  exp: number
  scope: VehicleScope
  sessionId: string | null
  isTwoFactorSetupRequired: boolean
} | null> {
  if (!accessToken) return null
  const claims = await deps.jwt.verifyAccessToken(accessToken).catch(() => null)
  if (!claims) return null
  const sessionId = claims.sid ?? null
  // Both reads are on every signed-in call: one round trip's wait, not two.
  const [caller, session] = await Promise.all([
    findCallerById(deps.db, { orgId: claims.org, id: claims.sub }),
    sessionId
      ? findOpenRefreshFamily(deps.db, { userId: claims.sub, familyId: sessionId })
      : { method: 'password' as const },
  ])
  if (!caller || isIssuedBeforeSessionsEnded(claims.iat, caller.sessionsValidAfter)) return null
  if (!session) return null
  const { hasTwoFactor, requireAdminTwoFactor, ...user } = caller
  return {
    user,
    exp: claims.exp,
    scope: await resolveVehicleScope(deps, user),
    sessionId,
    // An admin of an organization that requires two-factor sign-in, signed in by password
    // without it: only what sets it up is open (trpc.ts). Single sign-on brings its own factor.
    isTwoFactorSetupRequired:
      user.role === 'admin' && requireAdminTwoFactor && !hasTwoFactor && session.method !== 'sso',
  }
}

/** An integrator API key a call was made with: the REST API's callers (see `authenticateCaller`). */
export interface ApiKeyPrincipal {
  id: string
  /** `read`: queries only; `write`: queries and mutations. */
  scope: 'read' | 'write'
}

/**
 * The caller of a procedure: a user's access token, or, where the request takes them (the REST
 * API under /api/v1), an integrator API key (`fmk_…`), which acts as the admin who created it
 * (see `authenticateApiKey`). Both give the same `user`, so every procedure scopes a key's call
 * exactly as that user's. Null for every kind of failure; an API key over its rate limit throws
 * TOO_MANY_REQUESTS.
 */
export async function authenticateCaller(
  deps: Pick<ApiDeps, 'db' | 'jwt' | 'authLimiter' | 'apiKeyRateLimit'>,
  info: Pick<RequestInfo, 'accessToken' | 'clientIp' | 'acceptsApiKeys'>,
): Promise<{
  user: AuthenticatedUser
  exp: number
  scope: VehicleScope
  apiKey: ApiKeyPrincipal | null
  /** The session (refresh-token family) of a user's access token; null for API keys. */
  sessionId: string | null
  /** Two-factor sign-in must be set up before anything else (see `authenticateAccessToken`). */
  isTwoFactorSetupRequired: boolean
} | null> {
  const token = info.accessToken
  if (!token) return null
  if (!looksLikeApiKey(token)) {
    const caller = await authenticateAccessToken(deps, token)
    return caller && { ...caller, apiKey: null }
  }
  if (!info.acceptsApiKeys) return null
  const caller = await authenticateApiKey(deps, token, info.clientIp)
  if (!caller) return null
  const exp = caller.expiresAt
    ? Math.floor(caller.expiresAt.getTime() / 1000)
    : Number.MAX_SAFE_INTEGER
  // The key sees what the admin it acts as sees (admins are never limited to groups).
  return {
    user: caller.user,
    exp,
    scope: await resolveVehicleScope(deps, caller.user),
    apiKey: caller.apiKey,
    sessionId: null,
    // A key is not a sign-in: the policy is about how admins sign in, and a key keeps working
    // (creating one is refused until the admin has set two-factor sign-in up).
    isTwoFactorSetupRequired: false,
  }
}
