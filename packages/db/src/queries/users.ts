import { and, count, eq, inArray, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { organizations, type User, users } from '../schema/index.ts'
import { deleteInOrg, firstOrNull, idInOrg, pageInOrg, searchAny, updateInOrg } from './org-rows.ts'
import type { PageParams } from './pagination.ts'

export type UserSort = 'createdAt' | 'email'
export type UserRole = User['role']

/** The public shape of a user: never the password hash. */
export const publicUserColumns = {
  id: users.id,
  orgId: users.orgId,
  email: users.email,
  role: users.role,
  emailVerifiedAt: users.emailVerifiedAt,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
}

export async function createUser(
  db: Database,
  params: { orgId: string; email: string; role: UserRole; passwordHash: string },
) {
  const [user] = await db
    .insert(users)
    .values({ ...params, email: params.email.toLowerCase() })
    .returning(publicUserColumns)
  if (!user) throw new Error('user insert returned no row')
  return user
}

/** For login only: includes the password hash and the organization name. */
export async function findUserCredentialsByEmail(db: Database, email: string) {
  const [row] = await db
    .select({
      ...publicUserColumns,
      passwordHash: users.passwordHash,
      orgName: organizations.name,
      totpEnabledAt: users.totpEnabledAt,
      requireAdminTwoFactor: organizations.requireAdminTwoFactor,
    })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(users.email, email.toLowerCase()))
  return row ?? null
}

/** A signed-in user as the auth check reads them (with the organization's name). */
const sessionUserColumns = {
  ...publicUserColumns,
  orgName: organizations.name,
  sessionsValidAfter: users.sessionsValidAfter,
  limitedToGroups: users.limitedToGroups,
}

export async function findUserById(db: Database, params: { orgId: string; id: string }) {
  return firstOrNull(
    db
      .select(sessionUserColumns)
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.orgId))
      .where(idInOrg(users, params)),
  )
}

/**
 * `findUserById` for the auth check of every call, with what the two-factor policy needs in the
 * same query: whether the user has two-factor sign-in on, and whether the organization requires
 * it of admins.
 */
export async function findCallerById(db: Database, params: { orgId: string; id: string }) {
  return firstOrNull(
    db
      .select({
        ...sessionUserColumns,
        hasTwoFactor: sql<boolean>`${users.totpEnabledAt} is not null`,
        requireAdminTwoFactor: organizations.requireAdminTwoFactor,
      })
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.orgId))
      .where(idInOrg(users, params)),
  )
}

/**
 * Holds the user row against a password change or removal until the transaction ends (those
 * update or delete the row, and revoke the user's refresh tokens in the same transaction).
 */
export async function lockUserShared(db: Database, id: string): Promise<void> {
  await db.select({ id: users.id }).from(users).where(eq(users.id, id)).for('share')
}

/** Organization and role of each of these users that still exists (one query per 1,000 ids). */
export async function findUserRoles(db: Database, ids: readonly string[]) {
  const roles = new Map<
    string,
    { orgId: string; role: User['role']; sessionsValidAfter: Date | null }
  >()
  for (let start = 0; start < ids.length; start += 1000) {
    const rows = await db
      .select({
        id: users.id,
        orgId: users.orgId,
        role: users.role,
        sessionsValidAfter: users.sessionsValidAfter,
      })
      .from(users)
      .where(inArray(users.id, ids.slice(start, start + 1000)))
    for (const { id, ...row } of rows) roles.set(id, row)
  }
  return roles
}

export async function listUsers(db: Database, params: PageParams<UserSort>) {
  const column = params.sort === 'email' ? users.email : users.createdAt
  return pageInOrg(db.select(publicUserColumns).from(users).$dynamic(), {
    table: users,
    column,
    params,
    filters: [searchAny(params.search, [users.email])],
    sortValue: (row) => (params.sort === 'email' ? row.email : row.createdAt),
  })
}

export async function updateUser(
  db: Database,
  params: { orgId: string; id: string; patch: { role?: UserRole; passwordHash?: string } },
) {
  // A new password ends the sessions that hold an access token too (see `sessionsValidAfter`).
  const patch = params.patch.passwordHash
    ? { ...params.patch, sessionsValidAfter: SESSIONS_VALID_FROM_NOW }
    : params.patch
  return updateInOrg(db, users, { ...params, patch }, publicUserColumns)
}

export async function deleteUser(db: Database, params: { orgId: string; id: string }) {
  return deleteInOrg(db, users, params, publicUserColumns)
}

export async function countAdmins(db: Database, orgId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.role, 'admin')))
  return row?.n ?? 0
}

/** The caller of a refresh: by id alone, since a refresh token names no organization. */
export async function findSessionUser(db: Database, id: string) {
  const [row] = await db
    .select({ ...publicUserColumns, orgName: organizations.name })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(users.id, id))
  return row ?? null
}

/** Records that the user proved `email` is theirs; false when the address has changed since. */
export async function markUserEmailVerified(
  db: Database,
  params: { id: string; email: string },
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ emailVerifiedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(users.id, params.id), eq(users.email, params.email)))
    .returning({ id: users.id })
  return rows.length === 1
}

/** A new password by user id alone (a reset link names no organization). */
export async function setUserPasswordHash(
  db: Database,
  params: { id: string; passwordHash: string },
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({
      passwordHash: params.passwordHash,
      sessionsValidAfter: SESSIONS_VALID_FROM_NOW,
      updatedAt: new Date(),
    })
    .where(eq(users.id, params.id))
    .returning({ id: users.id })
  return rows.length === 1
}

/** The value `sessions_valid_after` takes on a password change: now, to the whole second. */
export const SESSIONS_VALID_FROM_NOW = sql`date_trunc('second', now())`

/**
 * Whether an access token issued at `iat` (seconds) is still good for a user whose sessions
 * were ended at `sessionsValidAfter` (a whole second: tokens of that second, issued after the
 * change, stay good).
 */
export function isIssuedBeforeSessionsEnded(iat: number, sessionsValidAfter: Date | null): boolean {
  return sessionsValidAfter !== null && iat * 1000 < sessionsValidAfter.getTime()
}
