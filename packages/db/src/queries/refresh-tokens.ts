import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { refreshTokens, type SignInMethod } from '../schema/index.ts'

export async function insertRefreshToken(
  db: Database,
  params: {
    userId: string
    familyId: string
    tokenHash: string
    expiresAt: Date
    userAgent?: string | null
    clientIp?: string | null
    method?: SignInMethod
  },
) {
  const [row] = await db.insert(refreshTokens).values(params).returning()
  if (!row) throw new Error('refresh token insert returned no row')
  return row
}

export async function findRefreshTokenByHash(db: Database, tokenHash: string) {
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash))
  return row ?? null
}

/**
 * Takes the family's lock for the rest of the transaction. Refresh and logout both take it first,
 * so one waits for the other, and the statements after it see what the other committed,
 * including a token it just issued. One lock per family (not a lock on each of its rows: two
 * transactions would see different rows and could lock them in crossing orders, a deadlock).
 */
export async function lockRefreshFamily(db: Database, familyId: string) {
  await db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`refresh-family:${familyId}`}, 0))`,
  )
}

/** The token with this digest, its row locked until the transaction ends. */
export async function lockRefreshTokenByHash(db: Database, tokenHash: string) {
  const [row] = await db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .for('update')
  return row ?? null
}

/**
 * Marks a token used, atomically: returns false when it was already used or revoked, so two
 * concurrent refreshes with the same token can't both succeed.
 */
export async function consumeRefreshToken(db: Database, id: string): Promise<boolean> {
  const rows = await db
    .update(refreshTokens)
    .set({ usedAt: new Date() })
    .where(
      and(eq(refreshTokens.id, id), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)),
    )
    .returning({ id: refreshTokens.id })
  return rows.length === 1
}

export async function revokeRefreshFamily(db: Database, familyId: string) {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
}

export async function revokeUserRefreshTokens(db: Database, userId: string) {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)))
}

/** A live session: a refresh-token family with a token that is neither used, revoked nor expired. */
const liveToken = sql`${refreshTokens.usedAt} is null and ${refreshTokens.revokedAt} is null and ${refreshTokens.expiresAt} > now()`

/**
 * The user's live sessions, newest use first: each family's start, its latest rotation, and the
 * client (User-Agent, address) of that latest rotation. Never a token digest.
 */
export async function listUserSessions(db: Database, userId: string) {
  const live = db
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(and(eq(refreshTokens.userId, userId), liveToken))
  const rows = await db
    .select({
      familyId: refreshTokens.familyId,
      createdAt: sql<Date>`min(${refreshTokens.createdAt})`.mapWith(refreshTokens.createdAt),
      lastUsedAt: sql<Date>`max(${refreshTokens.createdAt})`.mapWith(refreshTokens.createdAt),
      userAgent: sql<
        string | null
      >`(array_agg(${refreshTokens.userAgent} order by ${refreshTokens.createdAt} desc))[1]`,
      clientIp: sql<
        string | null
      >`(array_agg(${refreshTokens.clientIp} order by ${refreshTokens.createdAt} desc))[1]`,
    })
    .from(refreshTokens)
    .where(and(eq(refreshTokens.userId, userId), inArray(refreshTokens.familyId, live)))
    .groupBy(refreshTokens.familyId)
    .orderBy(sql`max(${refreshTokens.createdAt}) desc`)
  return rows
}

/** Whether the family belongs to the user (live or not): ownership for revocation. */
export async function isUserRefreshFamily(
  db: Database,
  params: { userId: string; familyId: string },
): Promise<boolean> {
  const rows = await db
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .where(
      and(eq(refreshTokens.familyId, params.familyId), eq(refreshTokens.userId, params.userId)),
    )
    .limit(1)
  return rows.length === 1
}

/**
 * Whether the session an access token names (its `sid`) is still open: some token of the family
 * is not revoked, with how it signed in (null: revoked). One indexed lookup (family index) per
 * authenticated call. A family whose last
 * token merely expired stays open here: its access tokens expire within their own lifetime.
 */
export async function findOpenRefreshFamily(
  db: Database,
  params: { userId: string; familyId: string },
): Promise<{ method: SignInMethod } | null> {
  const [row] = await db
    .select({ method: refreshTokens.method })
    .from(refreshTokens)
    .where(
      and(
        eq(refreshTokens.familyId, params.familyId),
        eq(refreshTokens.userId, params.userId),
        isNull(refreshTokens.revokedAt),
      ),
    )
    .limit(1)
  return row ?? null
}

/** The user's live families other than `keepFamilyId` (the caller's own, when known). */
export async function listOtherLiveFamilies(
  db: Database,
  params: { userId: string; keepFamilyId: string | null },
): Promise<string[]> {
  const rows = await db
    .selectDistinct({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(
      and(
        eq(refreshTokens.userId, params.userId),
        liveToken,
        params.keepFamilyId ? ne(refreshTokens.familyId, params.keepFamilyId) : undefined,
      ),
    )
  return rows.map((row) => row.familyId)
}

/** Of these families, the ones still open (a token not revoked); one query per 1,000 ids. */
export async function findOpenRefreshFamilies(
  db: Database,
  familyIds: readonly string[],
): Promise<Set<string>> {
  const open = new Set<string>()
  for (let start = 0; start < familyIds.length; start += 1000) {
    const rows = await db
      .selectDistinct({ familyId: refreshTokens.familyId })
      .from(refreshTokens)
      .where(
        and(
          inArray(refreshTokens.familyId, familyIds.slice(start, start + 1000)),
          isNull(refreshTokens.revokedAt),
        ),
      )
    for (const row of rows) open.add(row.familyId)
  }
  return open
}
