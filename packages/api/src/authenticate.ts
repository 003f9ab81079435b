import { findUserById, isIssuedBeforeSessionsEnded } from '@fms/db/queries/users'
import type { ApiDeps } from './context.ts'
import { resolveVehicleScope, type VehicleScope } from './scope.ts'

export type AuthenticatedUser = NonNullable<Awaited<ReturnType<typeof findUserById>>>

/**
 * The caller behind an access token: the token verified, then the user loaded fresh from the
 * database, so a deleted user or a lowered role takes effect on the next call, not when the token
 * expires; a token issued before the user's password last changed is refused. With the user
 * comes the vehicles they may see (`scope`, see scope.ts). Null for every kind
 * of failure (none, bad, expired, user gone, sessions ended): one answer, 401. The
 * one check behind tRPC's protected procedures and the raw HTTP endpoints that take the token.
 */
export async function authenticateAccessToken(
  deps: Pick<ApiDeps, 'db' | 'jwt'>,
  accessToken: string | null,
): Promise<{ user: AuthenticatedUser; exp: number; scope: VehicleScope } | null> {
  if (!accessToken) return null
  const claims = await deps.jwt.verifyAccessToken(accessToken).catch(() => null)
  if (!claims) return null
  const user = await findUserById(deps.db, { orgId: claims.org, id: claims.sub })
  if (!user || isIssuedBeforeSessionsEnded(claims.iat, user.sessionsValidAfter)) return null
  return { user, exp: claims.exp, scope: await resolveVehicleScope(deps, user) }
}
