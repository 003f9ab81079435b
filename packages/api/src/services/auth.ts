import { randomUUID } from 'node:crypto'
import {
  generateRefreshToken,
  hashOpaqueToken,
  hashPassword,
  verifyDummyPassword,
  verifyPassword,
} from '@fms/auth'
import { uniqueViolation } from '@fms/db'
import { createOrganization } from '@fms/db/queries/organizations'
import {
  consumeRefreshToken,
  findRefreshTokenByHash,
  insertRefreshToken,
  revokeRefreshFamily,
} from '@fms/db/queries/refresh-tokens'
import { createUser, findSessionUser, findUserCredentialsByEmail } from '@fms/db/queries/users'
import type { Context } from '../context.ts'
import { AppError } from '../errors.ts'
import type { TLoginInput, TRegisterInput } from '../schemas/index.ts'

export interface SessionUser {
  id: string
  email: string
  role: 'admin' | 'user'
  orgId: string
  orgName: string
}

const INVALID_LOGIN = 'Invalid email or password'
const INVALID_REFRESH = 'Invalid or expired refresh token'

/** Access + refresh token pair for a user; `familyId` continues a rotation chain. */
async function issueSession(ctx: Context, user: SessionUser, familyId: string = randomUUID()) {
  const access = await ctx.jwt.signAccessToken({ sub: user.id, org: user.orgId, role: user.role })
  const refresh = generateRefreshToken()
  await insertRefreshToken(ctx.db, {
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
  const passwordHash = await hashPassword(input.password)
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
  const keys = [`email:${input.email}`, ...(ctx.clientIp ? [`ip:${ctx.clientIp}`] : [])]
  const wait = Math.max(...keys.map((key) => ctx.loginLimiter.blockedFor(key)))
  if (wait > 0) {
    throw new AppError('TOO_MANY_REQUESTS', 'Too many failed sign-in attempts; try again later', {
      retryAfterSec: wait,
    })
  }
  const user = await findUserCredentialsByEmail(ctx.db, input.email)
  // An unknown email costs the same hash work as a known one, so timing tells nothing.
  const isValid = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyDummyPassword(input.password)
  if (!user || !isValid) {
    for (const key of keys) ctx.loginLimiter.hit(key)
    throw new AppError('UNAUTHORIZED', INVALID_LOGIN)
  }
  ctx.loginLimiter.reset(`email:${input.email}`)
  return issueSession(ctx, user)
}

/**
 * Rotates a refresh token. A token that was already used or revoked is a sign of theft: the
 * whole family (every token descended from the same login) is revoked.
 */
export async function refresh(ctx: Context, refreshToken: string) {
  const stored = await findRefreshTokenByHash(ctx.db, hashOpaqueToken(refreshToken))
  if (!stored) throw new AppError('UNAUTHORIZED', INVALID_REFRESH)
  if (stored.usedAt || stored.revokedAt) {
    await revokeRefreshFamily(ctx.db, stored.familyId)
    throw new AppError('UNAUTHORIZED', INVALID_REFRESH)
  }
  if (stored.expiresAt.getTime() <= Date.now()) throw new AppError('UNAUTHORIZED', INVALID_REFRESH)
  if (!(await consumeRefreshToken(ctx.db, stored.id))) {
    await revokeRefreshFamily(ctx.db, stored.familyId)
    throw new AppError('UNAUTHORIZED', INVALID_REFRESH)
  }
  const user = await findSessionUser(ctx.db, stored.userId)
  if (!user) throw new AppError('UNAUTHORIZED', INVALID_REFRESH)
  return issueSession(ctx, user, stored.familyId)
}

/** Ends the session that the refresh token belongs to. Unknown tokens are ignored. */
export async function logout(ctx: Context, refreshToken: string) {
  const stored = await findRefreshTokenByHash(ctx.db, hashOpaqueToken(refreshToken))
  if (stored) await revokeRefreshFamily(ctx.db, stored.familyId)
  return { ok: true as const }
}
