import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { refreshTokens } from '../schema/index.ts'

export async function insertRefreshToken(
  db: Database,
  params: {
    userId: string
    familyId: string
    tokenHash: string
    expiresAt: Date
    userAgent?: string | null
    clientIp?: string | null
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
