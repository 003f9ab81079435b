import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { apiTokens } from '../schema/index.ts'
import { firstOrNull, idInOrg, pageInOrg, searchAny, updateInOrg } from './org-rows.ts'
import type { PageParams } from './pagination.ts'

export type ApiTokenSort = 'createdAt' | 'title'

/** What a token list may show: the lookup prefixes, never a digest. */
export const publicApiTokenColumns = {
  id: apiTokens.id,
  orgId: apiTokens.orgId,
  title: apiTokens.title,
  description: apiTokens.description,
  prefix: apiTokens.prefix,
  previousPrefix: apiTokens.previousPrefix,
  previousExpiresAt: apiTokens.previousExpiresAt,
  rotatedAt: apiTokens.rotatedAt,
  createdBy: apiTokens.createdBy,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
  createdAt: apiTokens.createdAt,
  updatedAt: apiTokens.updatedAt,
}

export async function listApiTokens(
  db: Database,
  params: PageParams<ApiTokenSort> & { includeRevoked?: boolean | undefined },
) {
  const column = params.sort === 'title' ? apiTokens.title : apiTokens.createdAt
  return pageInOrg(db.select(publicApiTokenColumns).from(apiTokens).$dynamic(), {
    table: apiTokens,
    column,
    params,
    filters: [
      params.includeRevoked ? undefined : isNull(apiTokens.revokedAt),
      searchAny(params.search, [apiTokens.title, apiTokens.description]),
    ],
    sortValue: (row) => (params.sort === 'title' ? row.title : row.createdAt),
  })
}

export async function findApiTokenById(db: Database, params: { orgId: string; id: string }) {
  return firstOrNull(
    db.select(publicApiTokenColumns).from(apiTokens).where(idInOrg(apiTokens, params)),
  )
}

export async function createApiToken(
  db: Database,
  params: {
    orgId: string
    title: string
    description?: string | null | undefined
    prefix: string
    tokenHash: string
    createdBy: string | null
  },
) {
  const [row] = await db.insert(apiTokens).values(params).returning(publicApiTokenColumns)
  if (!row) throw new Error('api token insert returned no row')
  return row
}

export async function updateApiToken(
  db: Database,
  params: {
    orgId: string
    id: string
    patch: { title?: string | undefined; description?: string | null | undefined }
  },
) {
  return updateInOrg(db, apiTokens, params, publicApiTokenColumns)
}

/** This organization's token, not revoked. */
function isActiveTokenOf(params: { orgId: string; id: string }) {
  return and(
    eq(apiTokens.id, params.id),
    eq(apiTokens.orgId, params.orgId),
    isNull(apiTokens.revokedAt),
  )
}

export async function revokeApiToken(db: Database, params: { orgId: string; id: string }) {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: new Date(), updatedAt: new Date() })
    .where(isActiveTokenOf(params))
    .returning(publicApiTokenColumns)
  return row ?? null
}

/**
 * Gives an active token a new secret in one UPDATE: the current prefix and digest become the
 * previous ones, accepted until `now + graceSec`. Rotating again during a grace window replaces
 * the previous secret, so only the newest previous secret keeps its grace and the one before it
 * stops at once. Revoked and other organizations' tokens are not found (null) and not changed.
 */
export async function rotateApiToken(
  db: Database,
  params: {
    orgId: string
    id: string
    prefix: string
    tokenHash: string
    graceSec: number
    now?: Date | undefined
  },
) {
  const now = params.now ?? new Date()
  const [row] = await db
    .update(apiTokens)
    .set({
      // SET expressions read the row as it was before the UPDATE, whatever their order.
      previousPrefix: sql`${apiTokens.prefix}`,
      previousTokenHash: sql`${apiTokens.tokenHash}`,
      previousExpiresAt: new Date(now.getTime() + params.graceSec * 1000),
      prefix: params.prefix,
      tokenHash: params.tokenHash,
      rotatedAt: now,
      updatedAt: now,
    })
    .where(isActiveTokenOf(params))
    .returning(publicApiTokenColumns)
  return row ?? null
}

/**
 * For device authentication: the digest of the secret a prefix names, either the current one
 * (`expiresAt` null) or a previous one still in its grace window at `at` (`expiresAt` its end).
 * Revoked tokens are not found, whichever secret is presented.
 */
export async function findActiveApiTokenByPrefix(
  db: Database,
  prefix: string,
  at: Date = new Date(),
) {
  const isCurrent = eq(apiTokens.prefix, prefix)
  const [row] = await db
    .select({
      id: apiTokens.id,
      orgId: apiTokens.orgId,
      isCurrent: sql<boolean>`${isCurrent}`,
      tokenHash: apiTokens.tokenHash,
      previousTokenHash: apiTokens.previousTokenHash,
      previousExpiresAt: apiTokens.previousExpiresAt,
    })
    .from(apiTokens)
    .where(
      and(
        isNull(apiTokens.revokedAt),
        or(
          isCurrent,
          and(eq(apiTokens.previousPrefix, prefix), gt(apiTokens.previousExpiresAt, at)),
        ),
      ),
    )
    // A current prefix wins over another token's previous one (prefixes are random; never seen).
    .orderBy(desc(isCurrent))
    .limit(1)
  if (!row) return null
  if (row.isCurrent)
    return { id: row.id, orgId: row.orgId, tokenHash: row.tokenHash, expiresAt: null }
  return {
    id: row.id,
    orgId: row.orgId,
    tokenHash: row.previousTokenHash ?? '',
    expiresAt: row.previousExpiresAt,
  }
}

/** Records when tokens were last used (batched by the caller; never moves backwards). */
export async function touchApiTokens(db: Database, lastUsed: ReadonlyMap<string, Date>) {
  for (const [id, at] of lastUsed) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: sql`greatest(${apiTokens.lastUsedAt}, ${at.toISOString()}::timestamptz)` })
      .where(eq(apiTokens.id, id))
  }
}
