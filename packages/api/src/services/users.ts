import { hashPassword } from '@fms/auth'
import { type Database, uniqueViolation } from '@fms/db'
import { findUserGroupIds } from '@fms/db/queries/groups'
import { lockOrganization } from '@fms/db/queries/organizations'
import { revokeUserRefreshTokens } from '@fms/db/queries/refresh-tokens'
import {
  countAdmins,
  createUser,
  deleteUser,
  findUserById,
  listUsers,
  updateUser,
} from '@fms/db/queries/users'
import type { ApiDeps, DbDeps } from '../context.ts'
import { AppError, notFound } from '../errors.ts'
import type { TCreateUserInput, TListUsersInput, TUpdateUserInput } from '../schemas/index.ts'
import { sendAccountLink } from './account-mail.ts'
import { mapDbErrors } from './db-errors.ts'
import { setOrgUserGroups } from './groups.ts'
import { PASSWORD_WORK } from './password-work.ts'

interface Caller {
  id: string
  orgId: string
}

/** Users with the groups each is limited to (`groupIds`: null when not limited). */
async function withGroupIds<T extends { id: string }>(db: Database, rows: T[]) {
  const groups = await findUserGroupIds(
    db,
    rows.map((row) => row.id),
  )
  return rows.map((row) => ({ ...row, groupIds: groups.get(row.id) ?? null }))
}

async function withOneUserGroupIds<T extends { id: string }>(db: Database, row: T) {
  const [user] = await withGroupIds(db, [row])
  return user ?? { ...row, groupIds: null }
}

export async function listOrgUsers(deps: DbDeps, orgId: string, input: TListUsersInput) {
  const page = await mapDbErrors(listUsers(deps.db, { ...input, orgId }))
  return { ...page, items: await withGroupIds(deps.db, page.items) }
}

/** Adds a user; with email on, the user gets an invitation whose link verifies and signs in. */
export async function createOrgUser(
  deps: Pick<ApiDeps, 'db' | 'email'>,
  caller: Caller & { orgName: string },
  input: TCreateUserInput,
) {
  const passwordHash = await PASSWORD_WORK.run(() => hashPassword(input.password))
  const settings = deps.email
  return deps.db
    .transaction(async (tx) => {
      const user = await createUser(tx, {
        orgId: caller.orgId,
        email: input.email,
        role: input.role,
        passwordHash,
      })
      if (input.groupIds !== undefined) {
        await setOrgUserGroups(tx, {
          orgId: caller.orgId,
          userId: user.id,
          groupIds: input.groupIds,
        })
      }
      if (settings) {
        const invited = { ...user, orgName: caller.orgName }
        await sendAccountLink(tx, settings, { kind: 'invitation', user: invited })
      }
      return withOneUserGroupIds(tx, user)
    })
    .catch((error: unknown) => {
      if (uniqueViolation(error) !== null) {
        const message = 'An account with this email already exists'
        throw new AppError('CONFLICT', message, { fieldErrors: { email: [message] } })
      }
      throw error
    })
}

/**
 * An organization always keeps at least one admin. Runs inside a transaction that holds the
 * organization's row lock, so two concurrent demotions can't both pass the check.
 */
async function assertNotLastAdmin(tx: Database, orgId: string, userId: string) {
  await lockOrganization(tx, orgId)
  const target = await findUserById(tx, { orgId, id: userId })
  if (!target) throw notFound('User')
  if (target.role === 'admin' && (await countAdmins(tx, orgId)) <= 1) {
    throw new AppError('CONFLICT', 'The organization needs at least one admin')
  }
}

export async function updateOrgUser(deps: DbDeps, caller: Caller, input: TUpdateUserInput) {
  const { password } = input
  const passwordHash = password ? await PASSWORD_WORK.run(() => hashPassword(password)) : undefined
  return deps.db.transaction(async (tx) => {
    if (input.role === 'user') await assertNotLastAdmin(tx, caller.orgId, input.id)
    const user = await updateUser(tx, {
      orgId: caller.orgId,
      id: input.id,
      patch: {
        ...(input.role ? { role: input.role } : {}),
        ...(passwordHash ? { passwordHash } : {}),
      },
    })
    if (!user) throw notFound('User')
    // A new password ends every session of that user.
    if (passwordHash) await revokeUserRefreshTokens(tx, user.id)
    if (input.groupIds !== undefined) {
      await setOrgUserGroups(tx, { orgId: caller.orgId, userId: user.id, groupIds: input.groupIds })
    }
    return withOneUserGroupIds(tx, user)
  })
}

export async function removeOrgUser(deps: DbDeps, caller: Caller, id: string) {
  if (id === caller.id) throw new AppError('BAD_REQUEST', 'You cannot remove yourself')
  return deps.db.transaction(async (tx) => {
    await assertNotLastAdmin(tx, caller.orgId, id)
    const groups = await findUserGroupIds(tx, [id])
    const user = await deleteUser(tx, { orgId: caller.orgId, id })
    if (!user) throw notFound('User')
    return { ...user, groupIds: groups.get(id) ?? null }
  })
}
