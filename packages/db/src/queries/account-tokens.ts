import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { type AccountTokenPurpose, accountTokens, users } from '../schema/index.ts'

/**
 * Stores a new token of a purpose for a user in place of the user's token of that purpose (used
 * or not: only the newest link works; one row per user and purpose, a unique index). With
 * `minIntervalMs`, an existing token younger than that is kept and null is returned: the check
 * and the write are one statement, so two racing requests can't both send a link.
 */
export async function replaceAccountToken(
  db: Database,
  params: {
    userId: string
    purpose: AccountTokenPurpose
    tokenHash: string
    email: string
    expiresAt: Date
    minIntervalMs?: number
  },
): Promise<{ id: string; createdAt: Date } | null> {
  const { minIntervalMs = 0, ...values } = params
  const rows = await db
    .insert(accountTokens)
    .values({ ...values, email: values.email.toLowerCase() })
    .onConflictDoUpdate({
      target: [accountTokens.userId, accountTokens.purpose],
      set: {
        tokenHash: sql`excluded.token_hash`,
        email: sql`excluded.email`,
        expiresAt: sql`excluded.expires_at`,
        usedAt: null,
        createdAt: sql`now()`,
      },
      setWhere:
        minIntervalMs > 0
          ? sql`${accountTokens.createdAt} <= now() - make_interval(secs => ${minIntervalMs / 1000})`
          : undefined,
    })
    .returning({ id: accountTokens.id, createdAt: accountTokens.createdAt })
  return rows[0] ?? null
}

/** When the user's newest token of this purpose was issued; null when there is none. */
export async function findLatestAccountTokenTime(
  db: Database,
  params: { userId: string; purpose: AccountTokenPurpose },
): Promise<Date | null> {
  const [row] = await db
    .select({ createdAt: accountTokens.createdAt })
    .from(accountTokens)
    .where(and(eq(accountTokens.userId, params.userId), eq(accountTokens.purpose, params.purpose)))
    .orderBy(desc(accountTokens.createdAt))
    .limit(1)
  return row?.createdAt ?? null
}

/**
 * Uses a token, atomically: one conditional UPDATE that only matches an unused, unexpired token
 * of this purpose whose address is still the user's, so of two concurrent uses one wins and the
 * other gets null. Null for every kind of failure (unknown, used, expired, other purpose, old
 * address). Run it in the transaction that acts on the token, so a failure there undoes the use.
 */
/** The conditions under which a token still works: unused, unexpired, for the user's address now. */
function usableToken(params: { tokenHash: string; purpose: AccountTokenPurpose }) {
  return and(
    eq(accountTokens.tokenHash, params.tokenHash),
    eq(accountTokens.purpose, params.purpose),
    isNull(accountTokens.usedAt),
    gt(accountTokens.expiresAt, sql`now()`),
    sql`${accountTokens.email} = (select ${users.email} from ${users} where ${users.id} = ${accountTokens.userId})`,
  )
}

/** Whether a token would work now (a read: it is used only by `consumeAccountToken`). */
export async function isAccountTokenUsable(
  db: Database,
  params: { tokenHash: string; purpose: AccountTokenPurpose },
): Promise<boolean> {
  const rows = await db
    .select({ id: accountTokens.id })
    .from(accountTokens)
    .where(usableToken(params))
    .limit(1)
  return rows.length > 0
}

export async function consumeAccountToken(
  db: Database,
  params: { tokenHash: string; purpose: AccountTokenPurpose },
): Promise<{ userId: string; email: string } | null> {
  const [row] = await db
    .update(accountTokens)
    .set({ usedAt: sql`now()` })
    .where(usableToken(params))
    .returning({ userId: accountTokens.userId, email: accountTokens.email })
  return row ?? null
}
