import { hashPassword } from '@fms/auth'
import { uniqueViolation } from '@fms/db'
import { revokeUserRefreshTokens } from '@fms/db/queries/refresh-tokens'
import {
  countAdmins,
  createUser,
  deleteUser,
  findUserById,
  updateUser,
} from '@fms/db/queries/users'
import type { Context } from '../context.ts'
import { AppError, notFound } from '../errors.ts'
import type { TCreateUserInput, TUpdateUserInput } from '../schemas/index.ts'

interface Caller {
  id: string
  orgId: string
}

export async function createOrgUser(ctx: Context, caller: Caller, input: TCreateUserInput) {
  const passwordHash = await hashPassword(input.password)
  return createUser(ctx.db, {
    orgId: caller.orgId,
    email: input.email,
    role: input.role,
    passwordHash,
  }).catch((error: unknown) => {
    if (uniqueViolation(error) !== null) {
      const message = 'An account with this email already exists'
      throw new AppError('CONFLICT', message, { fieldErrors: { email: [message] } })
    }
    throw error
  })
}

/** An organization always keeps at least one admin. */
async function assertNotLastAdmin(ctx: Context, orgId: string, userId: string) {
  const target = await findUserById(ctx.db, { orgId, id: userId })
  if (!target) throw notFound('User')
  if (target.role === 'admin' && (await countAdmins(ctx.db, orgId)) <= 1) {
    throw new AppError('CONFLICT', 'The organization needs at least one admin')
  }
}

export async function updateOrgUser(ctx: Context, caller: Caller, input: TUpdateUserInput) {
  if (input.role === 'user') await assertNotLastAdmin(ctx, caller.orgId, input.id)
  const passwordHash = input.password ? await hashPassword(input.password) : undefined
  const user = await updateUser(ctx.db, {
    orgId: caller.orgId,
    id: input.id,
    patch: {
      ...(input.role ? { role: input.role } : {}),
      ...(passwordHash ? { passwordHash } : {}),
    },
  })
  if (!user) throw notFound('User')
  // A new password ends every session of that user.
  if (passwordHash) await revokeUserRefreshTokens(ctx.db, user.id)
  return user
}

export async function removeOrgUser(ctx: Context, caller: Caller, id: string) {
  if (id === caller.id) throw new AppError('BAD_REQUEST', 'You cannot remove yourself')
  await assertNotLastAdmin(ctx, caller.orgId, id)
  const user = await deleteUser(ctx.db, { orgId: caller.orgId, id })
  if (!user) throw notFound('User')
  return user
}
