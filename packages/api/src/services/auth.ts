import { randomUUID } from 'node:crypto'
import {
  generateRefreshToken,
  hashOpaqueToken,
  hashPassword,
  verifyDummyPassword,
  verifyPassword,
} from '@fms/auth'
import type { Database } from '@fms/db'
import { uniqueViolation } from '@fms/db'
import { createOrganization } from '@fms/db/queries/organizations'
import {
  consumeRefreshToken,
  findRefreshTokenByHash,
  insertRefreshToken,
  lockRefreshFamily,
  lockRefreshTokenByHash,
  revokeRefreshFamily,
} from '@fms/db/queries/refresh-tokens'
import {
  createUser,
  findSessionUser,
  findUserCredentialsByEmail,
  lockUserShared,
} from '@fms/db/queries/users'
import type { SignInMethod } from '@fms/db/schema'
import type { ApiDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import { type AttemptRule, addressKey } from '../rate-limit.ts'
import type { TLoginInput, TRegisterInput } from '../schemas/index.ts'
import { sendAccountExists, sendAccountLink } from './account-mail.ts'
import { PASSWORD_WORK } from './password-work.ts'
import { issueLoginChallenge } from './two-factor-login.ts'

/** What sign-in, sign-up and refresh use. */
export type AuthDeps = Pick<
  ApiDeps,
  'db' | 'jwt' | 'authLimiter' | 'authLimits' | 'refreshTokenTtlSec' | 'email' | 'secretKey'
> & { client?: ClientInfo }

/** The client a session is issued to, shown in the sessions list. */
export interface ClientInfo {
  userAgent: string | null
  clientIp: string | null
}

/** A user row a session is issued for. */
export interface SessionUserRow {
  id: string
  email: string
  role: 'admin' | 'user'
  orgId: string
  orgName: string
  emailVerifiedAt: Date | null
}

const INVALID_LOGIN = 'Invalid email or password'
const INVALID_REFRESH = 'Invalid or expired refresh token'

/** Attempts allowed per window; see `loginRules` and `registerRules`. */
export interface AuthLimits {
  /** Sign-in attempts per email and client address (the owner's own budget). */
  loginPerAccountAddress: number
  /** Sign-in attempts per email from all addresses together (guessing spread over addresses). */
  loginPerAccount: number
  /** Sign-in attempts per client address for all emails together (spraying many accounts). */
  loginPerAddress: number
  loginWindowMs: number
  /** New organizations per client address. */
  registerPerAddress: number
  registerWindowMs: number
  /** Password-reset requests per email, and per client address for all emails together. */
  resetPerAccount: number
  resetPerAddress: number
  resetWindowMs: number
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  loginPerAccountAddress: 10,
  loginPerAccount: 50,
  loginPerAddress: 100,
  loginWindowMs: 15 * 60_000,
  registerPerAddress: 30,
  registerWindowMs: 60 * 60_000,
  resetPerAccount: 5,
  resetPerAddress: 30,
  resetWindowMs: 60 * 60_000,
}

export function authLimits(deps: AuthDeps): AuthLimits {
  return { ...DEFAULT_AUTH_LIMITS, ...deps.authLimits }
}

/** How long an address the owner signed in from stays exempt from the account-wide budget. */
const KNOWN_ADDRESS_MS = 30 * 86_400_000

function knownAddressKey(email: string, address: string): string {
  return `login:known:${email}|${addressKey(address)}`
}

/**
 * The counters one sign-in attempt is charged to: email + address (the tight one), the address
 * over all emails (spraying), and — only from addresses the owner has not signed in from lately —
 * the email over all addresses (guessing spread over addresses). So failures from elsewhere can
 * lock an account only for new addresses, never the owner's usual ones; and every window ends.
 */
async function loginRules(
  deps: AuthDeps,
  email: string,
  clientIp: string | null,
): Promise<AttemptRule[]> {
  const limits = authLimits(deps)
  const windowMs = limits.loginWindowMs
  const account = { key: `login:account:${email}`, limit: limits.loginPerAccount, windowMs }
  if (!clientIp) return [account]
  const address = addressKey(clientIp)
  const rules = [
    {
      key: `login:account-address:${email}|${address}`,
      limit: limits.loginPerAccountAddress,
      windowMs,
    },
    { key: `login:address:${address}`, limit: limits.loginPerAddress, windowMs },
  ]
  const isKnown = await deps.authLimiter
    .recalls(knownAddressKey(email, clientIp))
    .catch(() => false)
  return isKnown ? rules : [account, ...rules]
}

export async function releaseAttempt(
  deps: Pick<AuthDeps, 'authLimiter'>,
  rules: AttemptRule[],
): Promise<void> {
  await deps.authLimiter.release(rules.map((rule) => rule.key)).catch(() => {})
}

/** Reserves the attempt before any password work; refuses with Retry-After when over a limit. */
export async function reserveAttempt(
  deps: Pick<AuthDeps, 'authLimiter'>,
  rules: AttemptRule[],
  message: string,
): Promise<void> {
  const wait = await deps.authLimiter.reserve(rules).catch((error: unknown) => {
    throw new AppError('SERVICE_UNAVAILABLE', 'Sign-in is unavailable right now; try again', {
      retryAfterSec: 5,
      cause: error,
    })
  })
  if (wait > 0) throw new AppError('TOO_MANY_REQUESTS', message, { retryAfterSec: wait })
}

/**
 * Access + refresh token pair for a user; `familyId` continues a rotation chain, `method` is how
 * the session signed in (kept by every rotation of the family).
 */
export async function issueSession(
  deps: Pick<AuthDeps, 'db' | 'jwt' | 'refreshTokenTtlSec'> & { client?: ClientInfo },
  user: SessionUserRow,
  familyId: string = randomUUID(),
  db: Database = deps.db,
  method: SignInMethod = 'password',
) {
  const access = await deps.jwt.signAccessToken({
    sub: user.id,
    org: user.orgId,
    role: user.role,
    sid: familyId,
  })
  const refresh = generateRefreshToken()
  await insertRefreshToken(db, {
    userId: user.id,
    familyId,
    tokenHash: refresh.hash,
    expiresAt: new Date(Date.now() + deps.refreshTokenTtlSec * 1000),
    userAgent: deps.client?.userAgent ?? null,
    clientIp: deps.client?.clientIp ?? null,
    method,
  })
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: refresh.token,
    user: toSessionUser(user),
  }
}

export function toSessionUser(user: SessionUserRow) {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    orgId: user.orgId,
    orgName: user.orgName,
    emailVerified: user.emailVerifiedAt !== null,
  }
}

const INVALID_LOGIN_UNVERIFIED = 'Confirm your email address first: we sent you a new link'

/**
 * Email off: creates the organization and its admin and signs them in (CONFLICT for a taken
 * address). Email on: always answers `verification_sent`, whether the address is new (account
 * created, unverified, a verification link sent) or taken (nothing created, its owner told); both
 * do the same password work, so neither the answer nor its timing tells which.
 */
export async function register(deps: AuthDeps, input: TRegisterInput, clientIp: string | null) {
  if (clientIp) {
    const { registerPerAddress: limit, registerWindowMs: windowMs } = authLimits(deps)
    const rules = [{ key: `register:address:${addressKey(clientIp)}`, limit, windowMs }]
    await reserveAttempt(deps, rules, 'Too many sign-ups from this address; try again later')
  }
  const passwordHash = await PASSWORD_WORK.run(() => hashPassword(input.password))
  const settings = deps.email
  // (A sign-up refused by the gate keeps its reservation: sign-ups are counted, not guesses.)
  const user = await deps.db
    .transaction(async (tx) => {
      const org = await createOrganization(tx, { name: input.orgName })
      const created = await createUser(tx, {
        orgId: org.id,
        email: input.email,
        role: 'admin',
        passwordHash,
      })
      const user = { ...created, orgName: org.name }
      if (settings) await sendAccountLink(tx, settings, { kind: 'verify', user })
      return user
    })
    .catch((error: unknown) => {
      if (uniqueViolation(error) === null) throw error
      return null
    })
  if (settings) {
    if (!user) {
      const owner = await findUserCredentialsByEmail(deps.db, input.email)
      if (owner) await deps.db.transaction((tx) => sendAccountExists(tx, settings, owner))
    }
    return { status: 'verification_sent' as const }
  }
  if (!user) {
    const message = 'An account with this email already exists'
    throw new AppError('CONFLICT', message, { fieldErrors: { email: [message] } })
  }
  return { status: 'signed_in' as const, ...(await issueSession(deps, user)) }
}

export async function login(deps: AuthDeps, input: TLoginInput, clientIp: string | null) {
  const rules = await loginRules(deps, input.email, clientIp)
  await reserveAttempt(deps, rules, 'Too many sign-in attempts; try again later')
  const user = await findUserCredentialsByEmail(deps.db, input.email)
  // An unknown email costs the same hash work as a known one, so timing tells nothing.
  const isValid = await PASSWORD_WORK.run(() =>
    user ? verifyPassword(user.passwordHash, input.password) : verifyDummyPassword(input.password),
  ).catch(async (error: unknown) => {
    // Refused before any password was checked: the attempt is given back.
    await releaseAttempt(deps, rules)
    throw error
  })
  if (!user || !isValid) throw new AppError('UNAUTHORIZED', INVALID_LOGIN)
  // A correct password was not a guess: its attempt is given back, and this address is now one
  // the owner signs in from (the account-wide budget no longer applies to it).
  await releaseAttempt(deps, rules)
  if (clientIp) {
    const known = knownAddressKey(input.email, clientIp)
    await deps.authLimiter.remember(known, KNOWN_ADDRESS_MS).catch(() => {})
  }
  const settings = deps.email
  if (settings && !user.emailVerifiedAt) {
    // (Within minutes of the last link none is sent: that one still works.)
    await deps.db.transaction((tx) => sendAccountLink(tx, settings, { kind: 'verify', user }))
    throw new AppError('FORBIDDEN', INVALID_LOGIN_UNVERIFIED)
  }
  if (user.totpEnabledAt) {
    return { status: 'second_factor' as const, challenge: await issueLoginChallenge(deps, user.id) }
  }
  return {
    status: 'signed_in' as const,
    ...(await issueSession(deps, user)),
    isTwoFactorSetupRequired: user.role === 'admin' && user.requireAdminTwoFactor,
  }
}

/**
 * Rotates a refresh token, in one transaction holding the family's lock and the token's row lock. A token that was
 * already used or revoked is a sign of theft: the whole family (every token descended from the
 * same login) is revoked, and stays revoked: a token issued by a refresh that raced the
 * revocation is committed before the revocation reads the family, so it is revoked too.
 */
export async function refresh(deps: AuthDeps, refreshToken: string) {
  const tokenHash = hashOpaqueToken(refreshToken)
  const found = await findRefreshTokenByHash(deps.db, tokenHash)
  if (!found) throw new AppError('UNAUTHORIZED', INVALID_REFRESH)
  const session = await deps.db.transaction(async (tx) => {
    await lockRefreshFamily(tx, found.familyId)
    // Then the user, then the token: the order a password change or a removal takes them in
    // (user row, then the user's tokens), so neither can slip a revocation past this refresh.
    await lockUserShared(tx, found.userId)
    const stored = await lockRefreshTokenByHash(tx, tokenHash)
    if (!stored) return null
    if (stored.usedAt || stored.revokedAt) {
      await revokeRefreshFamily(tx, stored.familyId)
      return null
    }
    if (stored.expiresAt.getTime() <= Date.now()) return null
    if (!(await consumeRefreshToken(tx, stored.id))) return null
    const user = await findSessionUser(tx, stored.userId)
    if (!user) return null
    return issueSession(deps, user, stored.familyId, tx, stored.method)
  })
  if (!session) throw new AppError('UNAUTHORIZED', INVALID_REFRESH)
  return session
}

/** Ends the session that the refresh token belongs to. Unknown tokens are ignored. */
export async function logout(deps: Pick<AuthDeps, 'db'>, refreshToken: string) {
  const stored = await findRefreshTokenByHash(deps.db, hashOpaqueToken(refreshToken))
  if (stored) {
    await deps.db.transaction(async (tx) => {
      await lockRefreshFamily(tx, stored.familyId)
      await revokeRefreshFamily(tx, stored.familyId)
    })
  }
  return { ok: true as const }
}
