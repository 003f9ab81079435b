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
import { createUser, findSessionUser, findUserCredentialsByEmail } from '@fms/db/queries/users'
import type { Context } from '../context.ts'
import { AppError } from '../errors.ts'
import type { AttemptRule } from '../rate-limit.ts'
import type { TLoginInput, TRegisterInput } from '../schemas/index.ts'
import { PASSWORD_WORK } from './password-work.ts'

export interface SessionUser {
  id: string
  email: string
  role: 'admin' | 'user'
  orgId: string
  orgName: string
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
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  loginPerAccountAddress: 10,
  loginPerAccount: 50,
  loginPerAddress: 100,
  loginWindowMs: 15 * 60_000,
  registerPerAddress: 30,
  registerWindowMs: 60 * 60_000,
}

function authLimits(ctx: Context): AuthLimits {
  return { ...DEFAULT_AUTH_LIMITS, ...ctx.authLimits }
}

/**
 * The counters one sign-in attempt is charged to. Someone else's guesses exhaust the account's
 * shared budget only after five times the owner's own; every window ends, so no lock is forever.
 */
function loginRules(ctx: Context, email: string): AttemptRule[] {
  const limits = authLimits(ctx)
  const windowMs = limits.loginWindowMs
  const rules = [{ key: `login:account:${email}`, limit: limits.loginPerAccount, windowMs }]
  if (ctx.clientIp) {
    rules.push(
      {
        key: `login:account-address:${email}|${ctx.clientIp}`,
        limit: limits.loginPerAccountAddress,
        windowMs,
      },
      { key: `login:address:${ctx.clientIp}`, limit: limits.loginPerAddress, windowMs },
    )
  }
  return rules
}

/** Reserves the attempt before any password work; refuses with Retry-After when over a limit. */
async function reserveAttempt(ctx: Context, rules: AttemptRule[], message: string): Promise<void> {
  if (rules.length === 0) return
  const wait = await ctx.authLimiter.reserve(rules).catch((error: unknown) => {
    throw new AppError('SERVICE_UNAVAILABLE', 'Sign-in is unavailable right now; try again', {
      retryAfterSec: 5,
      cause: error,
    })
  })
  if (wait > 0) throw new AppError('TOO_MANY_REQUESTS', message, { retryAfterSec: wait })
}

/** Access + refresh token pair for a user; `familyId` continues a rotation chain. */
async function issueSession(
  ctx: Context,
  user: SessionUser,
  familyId: string = randomUUID(),
  db: Database = ctx.db,
) {
  const access = await ctx.jwt.signAccessToken({ sub: user.id, org: user.orgId, role: user.role })
  const refresh = generateRefreshToken()
  await insertRefreshToken(db, {
    userId: user.id,
    familyId,
    tokenHash: refresh.hash,
    expiresAt: new Date(Date.now() + ctx.refreshTokenTtlSec * 1000),
  })
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: refresh.token,
    user: toSessionUser(user),
  }
}

export function toSessionUser(user: SessionUser): SessionUser {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    orgId: user.orgId,
    orgName: user.orgName,
  }
}

export async function register(ctx: Context, input: TRegisterInput) {
  if (ctx.clientIp) {
    const { registerPerAddress: limit, registerWindowMs: windowMs } = authLimits(ctx)
    const rules = [{ key: `register:address:${ctx.clientIp}`, limit, windowMs }]
    await reserveAttempt(ctx, rules, 'Too many sign-ups from this address; try again later')
  }
  const passwordHash = await PASSWORD_WORK.run(() => hashPassword(input.password))
  const user = await ctx.db
    .transaction(async (tx) => {
      const org = await createOrganization(tx, { name: input.orgName })
      const created = await createUser(tx, {
        orgId: org.id,
        email: input.email,
        role: 'admin',
        passwordHash,
      })
      return { ...created, orgName: org.name }
    })
    .catch((error: unknown) => {
      if (uniqueViolation(error) !== null) {
        const message = 'An account with this email already exists'
        throw new AppError('CONFLICT', message, { fieldErrors: { email: [message] } })
      }
      throw error
    })
  return issueSession(ctx, user)
}

export async function login(ctx: Context, input: TLoginInput) {
  const rules = loginRules(ctx, input.email)
  await reserveAttempt(ctx, rules, 'Too many sign-in attempts; try again later')
  const user = await findUserCredentialsByEmail(ctx.db, input.email)
  // An unknown email costs the same hash work as a known one, so timing tells nothing.
  const isValid = await PASSWORD_WORK.run(() =>
    user ? verifyPassword(user.passwordHash, input.password) : verifyDummyPassword(input.password),
  )
  if (!user || !isValid) throw new AppError('UNAUTHORIZED', INVALID_LOGIN)
  // A correct password was not a guess: its attempt is given back.
  await ctx.authLimiter.release(rules.map((rule) => rule.key)).catch(() => {})
  return issueSession(ctx, user)
}

/**
 * Rotates a refresh token, in one transaction holding the family's lock and the token's row lock. A token that was
 * already used or revoked is a sign of theft: the whole family (every token descended from the
 * same login) is revoked, and stays revoked: a token issued by a refresh that raced the
 * revocation is committed before the revocation reads the family, so it is revoked too.
 */
export async function refresh(ctx: Context, refreshToken: string) {
  const tokenHash = hashOpaqueToken(refreshToken)
  const found = await findRefreshTokenByHash(ctx.db, tokenHash)
  if (!found) throw new AppError('UNAUTHORIZED', INVALID_REFRESH)
  const session = await ctx.db.transaction(async (tx) => {
    await lockRefreshFamily(tx, found.familyId)
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
    return issueSession(ctx, user, stored.familyId, tx)
  })
  if (!session) throw new AppError('UNAUTHORIZED', INVALID_REFRESH)
  return session
}

/** Ends the session that the refresh token belongs to. Unknown tokens are ignored. */
export async function logout(ctx: Context, refreshToken: string) {
  const stored = await findRefreshTokenByHash(ctx.db, hashOpaqueToken(refreshToken))
  if (stored) {
    await ctx.db.transaction(async (tx) => {
      await lockRefreshFamily(tx, stored.familyId)
      await revokeRefreshFamily(tx, stored.familyId)
    })
  }
  return { ok: true as const }
}
