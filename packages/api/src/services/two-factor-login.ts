import { randomBytes } from 'node:crypto'
import { hashOpaqueToken } from '@fms/auth'
import { createLoginChallenge } from '@fms/db/queries/two-factor'
import type { DbDeps } from '../context.ts'

/** How long the second step of a sign-in may take. */
export const CHALLENGE_TTL_MS = 5 * 60_000

/** The second step of a sign-in whose password was right: a one-time challenge (digest stored). */
export async function issueLoginChallenge(deps: DbDeps, userId: string): Promise<string> {
  const challenge = `fmc_${randomBytes(32).toString('base64url')}`
  await createLoginChallenge(deps.db, {
    userId,
    challengeHash: hashOpaqueToken(challenge),
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
  })
  return challenge
}
