import { and, count, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { loginChallenges, organizations, recoveryCodes, users } from '../schema/index.ts'
import { firstOrNull } from './org-rows.ts'

/** A user's two-factor state: the sealed secret (never to leave the server), on or not. */
export function findTwoFactorState(db: Database, userId: string) {
  return firstOrNull(
    db
      .select({
        totpSecret: users.totpSecret,
        totpEnabledAt: users.totpEnabledAt,
        totpLastStep: users.totpLastStep,
      })
      .from(users)
      .where(eq(users.id, userId)),
  )
}

/** Stores a new, not yet confirmed secret; false when two-factor sign-in is already on. */
export async function setPendingTotpSecret(
  db: Database,
  params: { userId: string; sealedSecret: string },
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpSecret: params.sealedSecret, totpLastStep: null, updatedAt: new Date() })
    .where(and(eq(users.id, params.userId), isNull(users.totpEnabledAt)))
    .returning({ id: users.id })
  return rows.length === 1
}

/**
 * Records that a code of time step `step` was used, only if no code of that step or a later one
 * was: the one atomic check that makes every code single-use, however many calls race.
 */
export async function advanceTotpStep(
  db: Database,
  params: { userId: string; step: number; enable?: boolean },
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({
      totpLastStep: params.step,
      ...(params.enable ? { totpEnabledAt: new Date(), updatedAt: new Date() } : {}),
    })
    .where(
      and(
        eq(users.id, params.userId),
        or(isNull(users.totpLastStep), lt(users.totpLastStep, params.step)),
      ),
    )
    .returning({ id: users.id })
  return rows.length === 1
}

/** Turns two-factor sign-in off: secret, state and recovery codes gone. */
export async function disableTotp(db: Database, userId: string): Promise<void> {
  await db
    .update(users)
    .set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: new Date() })
    .where(eq(users.id, userId))
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId))
}

export async function replaceRecoveryCodes(
  db: Database,
  params: { userId: string; hashes: string[] },
): Promise<void> {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, params.userId))
  await db
    .insert(recoveryCodes)
    .values(params.hashes.map((codeHash) => ({ userId: params.userId, codeHash })))
}

/** Uses a recovery code once: true the first time, false ever after or for a wrong code. */
export async function useRecoveryCode(
  db: Database,
  params: { userId: string; codeHash: string },
): Promise<boolean> {
  const rows = await db
    .update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(recoveryCodes.userId, params.userId),
        eq(recoveryCodes.codeHash, params.codeHash),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id })
  return rows.length === 1
}

export async function countUnusedRecoveryCodes(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
  return row?.n ?? 0
}

export async function createLoginChallenge(
  db: Database,
  params: { userId: string; challengeHash: string; expiresAt: Date },
): Promise<void> {
  // Expired challenges of this user go with each new one: the table stays small.
  await db
    .delete(loginChallenges)
    .where(
      and(eq(loginChallenges.userId, params.userId), lt(loginChallenges.expiresAt, new Date())),
    )
  await db.insert(loginChallenges).values(params)
}

/** A live challenge (not expired), or null. */
export function findLoginChallenge(db: Database, challengeHash: string) {
  return firstOrNull(
    db
      .select()
      .from(loginChallenges)
      .where(
        and(
          eq(loginChallenges.challengeHash, challengeHash),
          sql`${loginChallenges.expiresAt} > now()`,
        ),
      ),
  )
}

/** Counts a wrong answer; the challenge is deleted at `maxAttempts`. */
export async function failLoginChallenge(
  db: Database,
  params: { id: string; maxAttempts: number },
): Promise<void> {
  const [row] = await db
    .update(loginChallenges)
    .set({ attempts: sql`${loginChallenges.attempts} + 1` })
    .where(eq(loginChallenges.id, params.id))
    .returning({ attempts: loginChallenges.attempts })
  if (row && row.attempts >= params.maxAttempts) {
    await db.delete(loginChallenges).where(eq(loginChallenges.id, params.id))
  }
}

/** Ends a challenge (answered): true for the one call that ended it. */
export async function consumeLoginChallenge(db: Database, id: string): Promise<boolean> {
  const rows = await db
    .delete(loginChallenges)
    .where(eq(loginChallenges.id, id))
    .returning({ id: loginChallenges.id })
  return rows.length === 1
}

export async function findTwoFactorPolicy(db: Database, orgId: string) {
  const [row] = await db
    .select({ requireForAdmins: organizations.requireAdminTwoFactor })
    .from(organizations)
    .where(eq(organizations.id, orgId))
  return { requireForAdmins: row?.requireForAdmins ?? false }
}

export async function setTwoFactorPolicy(
  db: Database,
  params: { orgId: string; requireForAdmins: boolean },
) {
  await db
    .update(organizations)
    .set({ requireAdminTwoFactor: params.requireForAdmins })
    .where(eq(organizations.id, params.orgId))
  return { requireForAdmins: params.requireForAdmins }
}
