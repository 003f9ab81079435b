import { hashOpaqueToken, hashPassword } from '@fms/auth'
import { consumeAccountToken, isAccountTokenUsable } from '@fms/db/queries/account-tokens'
import { revokeUserRefreshTokens } from '@fms/db/queries/refresh-tokens'
import {
  findUserCredentialsByEmail,
  markUserEmailVerified,
  setUserPasswordHash,
} from '@fms/db/queries/users'
import type { ApiDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import { addressKey } from '../rate-limit.ts'
import type {
  TRequestPasswordResetInput,
  TResetPasswordInput,
  TVerifyEmailInput,
} from '../schemas/index.ts'
import { sendAccountLink, verificationWaitMs } from './account-mail.ts'
import { type AuthDeps, authLimits, issueSession, reserveAttempt } from './auth.ts'
import type { EmailSettings } from './email-render.ts'
import { PASSWORD_WORK } from './password-work.ts'
import { isSsoOnlyPasswordHash } from './sso-flow.ts'
import { issueLoginChallenge } from './two-factor-login.ts'

/** One answer for every link that doesn't work: unknown, used, expired, or for another address. */
const INVALID_LINK = 'This link is invalid or has expired; ask for a new one'
const EMAIL_OFF = 'Email is off on this server: ask an admin to set a new password for you'

function requireEmail(deps: Pick<ApiDeps, 'email'>, message = EMAIL_OFF): EmailSettings {
  if (!deps.email) throw new AppError('PRECONDITION_FAILED', message)
  return deps.email
}

/** Uses a verification link: the address is verified and the link signs its owner in. */
export async function verifyEmail(deps: AuthDeps, input: TVerifyEmailInput) {
  const tokenHash = hashOpaqueToken(input.token)
  const session = await deps.db.transaction(async (tx) => {
    const used = await consumeAccountToken(tx, { tokenHash, purpose: 'verify_email' })
    if (!used) return null
    if (!(await markUserEmailVerified(tx, { id: used.userId, email: used.email }))) return null
    const user = await findUserCredentialsByEmail(tx, used.email)
    if (!user || user.id !== used.userId) return null
    // The link proves the address, not the second factor: like a sign-in, a user with
    // two-factor sign-in on is asked for a code (`auth.verifySecondFactor`) before any session.
    if (user.totpEnabledAt) {
      return {
        status: 'second_factor' as const,
        challenge: await issueLoginChallenge({ db: tx }, user.id),
      }
    }
    return {
      status: 'signed_in' as const,
      ...(await issueSession(deps, user, undefined, tx)),
      isTwoFactorSetupRequired: user.role === 'admin' && user.requireAdminTwoFactor,
    }
  })
  if (!session) throw new AppError('BAD_REQUEST', INVALID_LINK)
  return session
}

/**
 * Sends a reset link if an account has this address, and answers the same either way. Charged
 * per address and per client address before anything is looked up, like a sign-in.
 */
export async function requestPasswordReset(
  deps: AuthDeps,
  input: TRequestPasswordResetInput,
  clientIp: string | null,
) {
  const settings = requireEmail(deps)
  const limits = authLimits(deps)
  const windowMs = limits.resetWindowMs
  const rules = [{ key: `reset:account:${input.email}`, limit: limits.resetPerAccount, windowMs }]
  if (clientIp) {
    const key = `reset:address:${addressKey(clientIp)}`
    rules.push({ key, limit: limits.resetPerAddress, windowMs })
  }
  await reserveAttempt(deps, rules, 'Too many password reset requests; try again later')
  const user = await findUserCredentialsByEmail(deps.db, input.email)
  // An account made by single sign-on has no password, and gets none this way: its provider
  // decides who signs in (the same answer, so nothing tells it apart).
  if (user && !isSsoOnlyPasswordHash(user.passwordHash)) {
    await deps.db.transaction((tx) => sendAccountLink(tx, settings, { kind: 'reset', user }))
  }
  return { ok: true as const }
}

/**
 * Uses a reset link: sets the new password, marks the address verified (the link proved it) and
 * ends every session of the user, in one transaction.
 */
export async function resetPassword(
  deps: AuthDeps,
  input: TResetPasswordInput,
  clientIp: string | null,
) {
  requireEmail(deps)
  if (clientIp) {
    // Link guesses are hopeless (256 bits), but each try could cost a password hash: charged
    // per client address like a sign-in, so nobody can keep the hashing pool busy with them.
    const limits = authLimits(deps)
    const key = `reset-use:address:${addressKey(clientIp)}`
    const rules = [{ key, limit: limits.resetPerAddress, windowMs: limits.resetWindowMs }]
    await reserveAttempt(deps, rules, 'Too many password resets from this address; try again later')
  }
  const tokenHash = hashOpaqueToken(input.token)
  // A link that doesn't work is refused before any hash work (it is checked again when used).
  const purpose = 'reset_password'
  if (!(await isAccountTokenUsable(deps.db, { tokenHash, purpose }))) {
    throw new AppError('BAD_REQUEST', INVALID_LINK)
  }
  const passwordHash = await PASSWORD_WORK.run(() => hashPassword(input.password))
  const isDone = await deps.db.transaction(async (tx) => {
    const used = await consumeAccountToken(tx, { tokenHash, purpose: 'reset_password' })
    if (!used) return false
    // The user row first, then the tokens: the order a refresh takes them in.
    if (!(await setUserPasswordHash(tx, { id: used.userId, passwordHash }))) return false
    await markUserEmailVerified(tx, { id: used.userId, email: used.email })
    await revokeUserRefreshTokens(tx, used.userId)
    return true
  })
  if (!isDone) throw new AppError('BAD_REQUEST', INVALID_LINK)
  return { ok: true as const }
}

/** A new verification link to the signed-in user's own address (one per 5 minutes). */
export async function requestVerification(
  deps: Pick<ApiDeps, 'db' | 'email'>,
  user: { id: string; orgId: string; email: string; orgName: string; emailVerifiedAt: Date | null },
) {
  const settings = requireEmail(deps, 'Email is off on this server: there is nothing to verify')
  if (user.emailVerifiedAt) throw new AppError('CONFLICT', 'Your address is already verified')
  await deps.db.transaction(async (tx) => {
    if (await sendAccountLink(tx, settings, { kind: 'verify', user })) return
    const waitMs = await verificationWaitMs(tx, user.id)
    throw new AppError('TOO_MANY_REQUESTS', 'We sent you a link a moment ago: check your inbox', {
      retryAfterSec: Math.max(1, Math.ceil(waitMs / 1000)),
    })
  })
  return { ok: true as const }
}
