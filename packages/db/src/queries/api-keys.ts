import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { type ApiKey, apiKeys } from '../schema/index.ts'
import { pageInOrg, searchAny } from './org-rows.ts'
import type { PageParams } from './pagination.ts'

export type ApiKeySort = 'createdAt' | 'name'
export type ApiKeyScope = ApiKey['scope']

/** What a key list may show: the lookup prefix, never the digest. */
export const publicApiKeyColumns = {
  id: apiKeys.id,
  orgId: apiKeys.orgId,
  name: apiKeys.name,
  scope: apiKeys.scope,
  prefix: apiKeys.prefix,
  createdBy: apiKeys.createdBy,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  lastUsedIp: apiKeys.lastUsedIp,
  revokedAt: apiKeys.revokedAt,
  createdAt: apiKeys.createdAt,
  updatedAt: apiKeys.updatedAt,
}

export async function listApiKeys(
  db: Database,
  params: PageParams<ApiKeySort> & { includeRevoked?: boolean | undefined },
) {
  const column = params.sort === 'name' ? apiKeys.name : apiKeys.createdAt
  return pageInOrg(db.select(publicApiKeyColumns).from(apiKeys).$dynamic(), {
    table: apiKeys,
    column,
    params,
    filters: [
      params.includeRevoked ? undefined : isNull(apiKeys.revokedAt),
      searchAny(params.search, [apiKeys.name]),
    ],
    sortValue: (row) => (params.sort === 'name' ? row.name : row.createdAt),
  })
}

export async function createApiKey(
  db: Database,
  params: {
    orgId: string
    name: string
    scope: ApiKeyScope
    prefix: string
    keyHash: string
    createdBy: string
    expiresAt: Date | null
  },
) {
  const [row] = await db.insert(apiKeys).values(params).returning(publicApiKeyColumns)
  if (!row) throw new Error('api key insert returned no row')
  return row
}

/** Revokes this organization's key; null when it has no such key or it was revoked already. */
export async function revokeApiKey(db: Database, params: { orgId: string; id: string }) {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date(), updatedAt: new Date() })
    .where(
      and(eq(apiKeys.id, params.id), eq(apiKeys.orgId, params.orgId), isNull(apiKeys.revokedAt)),
    )
    .returning(publicApiKeyColumns)
  return row ?? null
}

/**
 * For authentication: the key a lookup prefix names, with its digest, if it is neither revoked
 * nor expired at `at`. The caller compares the digest.
 */
export async function findActiveApiKeyByPrefix(db: Database, prefix: string, at = new Date()) {
  const [row] = await db
    .select({
      id: apiKeys.id,
      orgId: apiKeys.orgId,
      scope: apiKeys.scope,
      keyHash: apiKeys.keyHash,
      createdBy: apiKeys.createdBy,
      expiresAt: apiKeys.expiresAt,
    })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.prefix, prefix),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), sql`${apiKeys.expiresAt} > ${at.toISOString()}::timestamptz`),
      ),
    )
    .limit(1)
  return row ?? null
}

/**
 * Records a key's use (when and from where), unless it was recorded less than `throttleMs` ago:
 * one cheap UPDATE that changes nothing most of the time.
 */
export async function touchApiKey(
  db: Database,
  params: { id: string; at: Date; ip: string | null; throttleMs: number },
) {
  const stale = new Date(params.at.getTime() - params.throttleMs)
  await db
    .update(apiKeys)
    .set({ lastUsedAt: params.at, lastUsedIp: params.ip })
    .where(
      and(eq(apiKeys.id, params.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))),
    )
}
