import { and, eq, isNull } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { refreshTokens } from '../schema/index.ts'

export async function insertRefreshToken(
  db: Database,
  params: { userId: string; familyId: string; tokenHash: string; expiresAt: Date },
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
 * Locks every token of a family (in a transaction, until it ends; always in id order, so two
 * callers never deadlock). Refresh and logout both take it: one waits for the other, and the
 * statements after it see what the other committed, including a token it just issued.
 */
export async function lockRefreshFamily(db: Database, familyId: string) {
  await db
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .where(eq(refreshTokens.familyId, familyId))
    .orderBy(refreshTokens.id)
    .for('update')
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
