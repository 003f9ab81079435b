import { canManage, generateApiKey, parseApiKey, verifyApiKey } from '@fms/auth'
import {
  createApiKey,
  findActiveApiKeyByPrefix,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
} from '@fms/db/queries/api-keys'
import { findUserById } from '@fms/db/queries/users'
import type { ApiDeps, DbDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import type { TCreateApiKeyInput, TListApiKeysInput } from '../schemas/index.ts'
import { mapDbErrors, orNotFound } from './db-errors.ts'

/** Calls one key may make per window unless configured (`ApiDeps.apiKeyRateLimit`). */
export const DEFAULT_API_KEY_RATE_LIMIT = { limit: 600, windowMs: 60_000 }
/** A key's last use is written at most this often (per key, per node, and in the database). */
const TOUCH_EVERY_MS = 60_000
/** Last-use writes remembered per node; past this the memory is cleared (a few extra writes). */
const MAX_TOUCHES_REMEMBERED = 10_000
const lastTouched = new Map<string, number>()

export function listOrgApiKeys(deps: DbDeps, orgId: string, input: TListApiKeysInput) {
  return mapDbErrors(listApiKeys(deps.db, { ...input, orgId }))
}

/** A new key; the answer is the only time its secret is ever shown. */
export async function createOrgApiKey(
  deps: DbDeps,
  user: { id: string; orgId: string },
  input: TCreateApiKeyInput,
) {
  const generated = generateApiKey()
  const key = await createApiKey(deps.db, {
    orgId: user.orgId,
    name: input.name,
    scope: input.scope,
    prefix: generated.prefix,
    keyHash: generated.hash,
    createdBy: user.id,
    expiresAt: input.expiresAt ?? null,
  })
  return { ...key, secret: generated.token }
}

/** Revoked at once, on every node (keys are checked in the database on every call). */
export function revokeOrgApiKey(deps: DbDeps, orgId: string, id: string) {
  return orNotFound(revokeApiKey(deps.db, { orgId, id }), 'API key')
}

/**
 * The caller behind an API key: the key found by its prefix, its digest compared in constant
 * time, not revoked or expired; then the admin who created it, loaded fresh. A key acts as that
 * admin, so the same tenancy (and whatever else limits the user) applies as to their own calls,
 * cut down to the key's scope by the procedures' middleware. A creator who was removed or is no
 * longer an admin ends the key. Null for every kind of failure: one answer, 401.
 * Charges the call to the key's rate limit: TOO_MANY_REQUESTS (with Retry-After) past it.
 */
export async function authenticateApiKey(
  deps: Pick<ApiDeps, 'db' | 'authLimiter' | 'apiKeyRateLimit'>,
  token: string,
  clientIp: string | null,
) {
  const parsed = parseApiKey(token)
  if (!parsed) return null
  const now = new Date()
  const key = await findActiveApiKeyByPrefix(deps.db, parsed.prefix, now)
  if (!key || !verifyApiKey(token, key.keyHash) || !key.createdBy) return null
  const user = await findUserById(deps.db, { orgId: key.orgId, id: key.createdBy })
  if (!user || !canManage(user.role)) return null
  const rule = deps.apiKeyRateLimit ?? DEFAULT_API_KEY_RATE_LIMIT
  // Limits kept in Redis that can't be reached: a fast 503, never an unlimited key.
  const retryAfterSec = await deps.authLimiter
    .reserve([{ key: `api-key:${key.id}`, ...rule }])
    .catch((error: unknown) => {
      throw new AppError('SERVICE_UNAVAILABLE', 'The API is unavailable right now; try again', {
        retryAfterSec: 5,
        cause: error,
      })
    })
  if (retryAfterSec > 0) {
    throw new AppError('TOO_MANY_REQUESTS', 'Too many calls with this API key: slow down', {
      retryAfterSec,
    })
  }
  recordUse(deps, key.id, now, clientIp)
  return { user, apiKey: { id: key.id, scope: key.scope }, expiresAt: key.expiresAt }
}

/** Writes the key's last use in the background, at most once a minute per key and node. */
function recordUse(deps: DbDeps, id: string, at: Date, ip: string | null): void {
  const previous = lastTouched.get(id)
  if (previous !== undefined && at.getTime() - previous < TOUCH_EVERY_MS) return
  if (lastTouched.size >= MAX_TOUCHES_REMEMBERED) lastTouched.clear()
  lastTouched.set(id, at.getTime())
  // Losing one last-use write is harmless; it must never fail the call.
  touchApiKey(deps.db, { id, at, ip, throttleMs: TOUCH_EVERY_MS }).catch(() => {})
}
