import { and, eq, ilike, isNull, or, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { apiTokens } from '../schema/index.ts'
import {
  containsPattern,
  keysetCondition,
  orderByKeyset,
  type PageParams,
  toPage,
} from './pagination.ts'

export type ApiTokenSort = 'createdAt' | 'title'

/** What a token list may show: the lookup prefix, never the digest. */
export const publicApiTokenColumns = {
  id: apiTokens.id,
  orgId: apiTokens.orgId,
  title: apiTokens.title,
  description: apiTokens.description,
  prefix: apiTokens.prefix,
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
  const pattern = params.search ? containsPattern(params.search) : undefined
  const conditions: (SQL | undefined)[] = [
    eq(apiTokens.orgId, params.orgId),
    params.includeRevoked ? undefined : isNull(apiTokens.revokedAt),
    pattern
      ? or(ilike(apiTokens.title, pattern), ilike(apiTokens.description, pattern))
      : undefined,
    keysetCondition(column, apiTokens.id, params.order, params.cursor),
  ]
  const rows = await db
    .select(publicApiTokenColumns)
    .from(apiTokens)
    .where(and(...conditions))
    .orderBy(...orderByKeyset(column, apiTokens.id, params.order))
    .limit(params.limit + 1)
  return toPage(rows, params.limit, (row) => (params.sort === 'title' ? row.title : row.createdAt))
}

export async function findApiTokenById(db: Database, params: { orgId: string; id: string }) {
  const [row] = await db
    .select(publicApiTokenColumns)
    .from(apiTokens)
    .where(and(eq(apiTokens.id, params.id), eq(apiTokens.orgId, params.orgId)))
  return row ?? null
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
  const [row] = await db
    .update(apiTokens)
    .set({ ...params.patch, updatedAt: new Date() })
    .where(and(eq(apiTokens.id, params.id), eq(apiTokens.orgId, params.orgId)))
    .returning(publicApiTokenColumns)
  return row ?? null
}

export async function revokeApiToken(db: Database, params: { orgId: string; id: string }) {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: new Date(), updatedAt: new Date() })
    .where(
      and(
        eq(apiTokens.id, params.id),
        eq(apiTokens.orgId, params.orgId),
        isNull(apiTokens.revokedAt),
      ),
    )
    .returning(publicApiTokenColumns)
  return row ?? null
}

/** For device authentication: includes the digest. Revoked tokens are not found. */
export async function findActiveApiTokenByPrefix(db: Database, prefix: string) {
  const [row] = await db
    .select({ id: apiTokens.id, orgId: apiTokens.orgId, tokenHash: apiTokens.tokenHash })
    .from(apiTokens)
    .where(and(eq(apiTokens.prefix, prefix), isNull(apiTokens.revokedAt)))
  return row ?? null
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
