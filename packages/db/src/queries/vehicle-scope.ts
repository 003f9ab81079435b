import { and, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { Database } from '../client.ts'
import { users, userVehicleGroups, vehicleGroupMembers, vehicleGroups } from '../schema/index.ts'

/**
 * The vehicles a caller may see: every vehicle of `orgId` (`vehicleIds` null), or only these
 * (a user limited to vehicle groups: the vehicles of those groups; a vehicle in no group is not
 * among them). Built once per call from the caller (`findVehicleScopes`) and handed to every
 * query that reads vehicle data, beside the organization it already scopes by.
 */
export interface VehicleScope {
  orgId: string
  vehicleIds: readonly string[] | null
}

/** The whole organization: for admins, background work and tests. */
export function wholeOrgScope(orgId: string): VehicleScope {
  return { orgId, vehicleIds: null }
}

/** Rows whose vehicle `column` the scope may see; undefined (no condition) for a whole org. */
export function inVehicleScope(column: AnyPgColumn, scope: VehicleScope): SQL | undefined {
  if (scope.vehicleIds === null) return undefined
  if (scope.vehicleIds.length === 0) return sql`false`
  return inArray(column, [...scope.vehicleIds])
}

/** The same condition for raw SQL: `column` (e.g. sql`v.id`) is a vehicle the scope sees. */
export function vehicleScopeSql(column: SQL, scope: VehicleScope): SQL {
  if (scope.vehicleIds === null) return sql`true`
  if (scope.vehicleIds.length === 0) return sql`false`
  return sql`${column} in (${sql.join(
    scope.vehicleIds.map((id) => sql`${id}`),
    sql`, `,
  )})`
}

/** Whether the scope may see vehicle `vehicleId` (null: no vehicle, seen only by whole-org scopes). */
export function canSeeVehicle(scope: VehicleScope, vehicleId: string | null | undefined): boolean {
  if (scope.vehicleIds === null) return true
  return vehicleId != null && scope.vehicleIds.includes(vehicleId)
}

/** Only the ids among `vehicleIds` that the scope may see, in their order. */
export function filterToScope<T extends string | null>(
  scope: VehicleScope,
  vehicleIds: readonly T[],
): T[] {
  if (scope.vehicleIds === null) return [...vehicleIds]
  const allowed = new Set(scope.vehicleIds)
  return vehicleIds.filter((id) => id !== null && allowed.has(id))
}

/**
 * The vehicle ids each of these users may see, by user id: null for a user who sees the whole
 * organization (an admin, or a user not limited to groups), the vehicles of their groups
 * otherwise (sorted, so two answers compare as strings). Users that no longer exist are absent.
 * Two queries per 1,000 users.
 */
export async function findVehicleScopes(
  db: Database,
  userIds: readonly string[],
): Promise<Map<string, string[] | null>> {
  const scopes = new Map<string, string[] | null>()
  for (let start = 0; start < userIds.length; start += 1000) {
    const ids = userIds.slice(start, start + 1000)
    const rows = await db
      .select({ id: users.id, role: users.role, limited: users.limitedToGroups })
      .from(users)
      .where(inArray(users.id, ids))
    const limited = rows.filter((row) => row.role !== 'admin' && row.limited).map((row) => row.id)
    for (const row of rows) scopes.set(row.id, limited.includes(row.id) ? [] : null)
    if (limited.length === 0) continue
    const members = await db
      .selectDistinct({
        userId: userVehicleGroups.userId,
        vehicleId: vehicleGroupMembers.vehicleId,
      })
      .from(userVehicleGroups)
      .innerJoin(vehicleGroups, eq(vehicleGroups.id, userVehicleGroups.groupId))
      .innerJoin(vehicleGroupMembers, eq(vehicleGroupMembers.groupId, userVehicleGroups.groupId))
      .innerJoin(
        users,
        and(eq(users.id, userVehicleGroups.userId), eq(users.orgId, vehicleGroups.orgId)),
      )
      .where(inArray(userVehicleGroups.userId, limited))
    for (const member of members) scopes.get(member.userId)?.push(member.vehicleId)
    for (const id of limited) scopes.get(id)?.sort()
  }
  return scopes
}

/** The scope of one user of `orgId` (no vehicle at all when the user is gone). */
export async function findVehicleScope(
  db: Database,
  params: { orgId: string; userId: string },
): Promise<VehicleScope> {
  const scopes = await findVehicleScopes(db, [params.userId])
  return {
    orgId: params.orgId,
    vehicleIds: scopes.has(params.userId) ? (scopes.get(params.userId) ?? null) : [],
  }
}
