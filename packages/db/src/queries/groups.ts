import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { users, userVehicleGroups, vehicleGroupMembers, vehicleGroups } from '../schema/index.ts'
import { deleteInOrg, firstOrNull, idInOrg, pageInOrg, searchAny, updateInOrg } from './org-rows.ts'
import type { PageParams } from './pagination.ts'

export type GroupSort = 'name' | 'createdAt'
export interface GroupFields {
  name: string
  description?: string | null | undefined
}

const SORT_COLUMNS = { name: vehicleGroups.name, createdAt: vehicleGroups.createdAt }

/**
 * A page of the organization's groups; `onlyIds` (a limited user's groups) narrows it, each
 * with the ids of its vehicles.
 */
export async function listGroups(
  db: Database,
  params: PageParams<GroupSort> & { onlyIds?: readonly string[] | null },
) {
  const page = await pageInOrg(db.select().from(vehicleGroups).$dynamic(), {
    table: vehicleGroups,
    column: SORT_COLUMNS[params.sort],
    params,
    filters: [
      searchAny(params.search, [vehicleGroups.name]),
      params.onlyIds ? inArray(vehicleGroups.id, [...params.onlyIds, NO_ID]) : undefined,
    ],
    sortValue: (row) => row[params.sort],
  })
  const members = await findGroupVehicleIds(
    db,
    page.items.map((group) => group.id),
  )
  return {
    ...page,
    items: page.items.map((group) => ({ ...group, vehicleIds: members.get(group.id) ?? [] })),
  }
}

/** A uuid no row has: keeps `IN (…)` valid when a list is empty. */
const NO_ID = '00000000-0000-0000-0000-000000000000'

/** The vehicle ids of each of these groups. */
export async function findGroupVehicleIds(db: Database, groupIds: readonly string[]) {
  const byGroup = new Map<string, string[]>()
  if (groupIds.length === 0) return byGroup
  const rows = await db
    .select({ groupId: vehicleGroupMembers.groupId, vehicleId: vehicleGroupMembers.vehicleId })
    .from(vehicleGroupMembers)
    .where(inArray(vehicleGroupMembers.groupId, [...groupIds]))
    .orderBy(asc(vehicleGroupMembers.vehicleId))
  for (const row of rows) {
    const list = byGroup.get(row.groupId) ?? []
    list.push(row.vehicleId)
    byGroup.set(row.groupId, list)
  }
  return byGroup
}

export async function findGroupById(db: Database, params: { orgId: string; id: string }) {
  const group = await firstOrNull(
    db.select().from(vehicleGroups).where(idInOrg(vehicleGroups, params)),
  )
  if (!group) return null
  const members = await findGroupVehicleIds(db, [group.id])
  return { ...group, vehicleIds: members.get(group.id) ?? [] }
}

export async function createGroup(db: Database, params: { orgId: string; fields: GroupFields }) {
  const [row] = await db
    .insert(vehicleGroups)
    .values({ ...params.fields, orgId: params.orgId })
    .returning()
  if (!row) throw new Error('group insert returned no row')
  return row
}

export function updateGroup(
  db: Database,
  params: { orgId: string; id: string; patch: Partial<GroupFields> },
) {
  return updateInOrg(db, vehicleGroups, params)
}

export function deleteGroup(db: Database, params: { orgId: string; id: string }) {
  return deleteInOrg(db, vehicleGroups, params)
}

/** Which of `ids` are groups of the organization. */
export async function findOrgGroupIds(
  db: Database,
  params: { orgId: string; ids: readonly string[] },
): Promise<Set<string>> {
  if (params.ids.length === 0) return new Set()
  const rows = await db
    .select({ id: vehicleGroups.id })
    .from(vehicleGroups)
    .where(and(eq(vehicleGroups.orgId, params.orgId), inArray(vehicleGroups.id, [...params.ids])))
  return new Set(rows.map((row) => row.id))
}

/** Makes `vehicleIds` the group's vehicles (the caller checked both belong to one organization). */
export async function setGroupVehicles(
  db: Database,
  params: { groupId: string; vehicleIds: readonly string[] },
) {
  await db.delete(vehicleGroupMembers).where(eq(vehicleGroupMembers.groupId, params.groupId))
  if (params.vehicleIds.length === 0) return
  await db
    .insert(vehicleGroupMembers)
    .values(params.vehicleIds.map((vehicleId) => ({ groupId: params.groupId, vehicleId })))
    .onConflictDoNothing()
}

/** Makes `groupIds` the vehicle's groups (the caller checked both belong to one organization). */
export async function setVehicleGroups(
  db: Database,
  params: { vehicleId: string; groupIds: readonly string[] },
) {
  await db.delete(vehicleGroupMembers).where(eq(vehicleGroupMembers.vehicleId, params.vehicleId))
  if (params.groupIds.length === 0) return
  await db
    .insert(vehicleGroupMembers)
    .values(params.groupIds.map((groupId) => ({ groupId, vehicleId: params.vehicleId })))
    .onConflictDoNothing()
}

/** The group ids of each of these vehicles. */
export async function findVehicleGroupIds(db: Database, vehicleIds: readonly string[]) {
  const byVehicle = new Map<string, string[]>()
  if (vehicleIds.length === 0) return byVehicle
  const rows = await db
    .select({ groupId: vehicleGroupMembers.groupId, vehicleId: vehicleGroupMembers.vehicleId })
    .from(vehicleGroupMembers)
    .where(inArray(vehicleGroupMembers.vehicleId, [...vehicleIds]))
    .orderBy(asc(vehicleGroupMembers.groupId))
  for (const row of rows) {
    const list = byVehicle.get(row.vehicleId) ?? []
    list.push(row.groupId)
    byVehicle.set(row.vehicleId, list)
  }
  return byVehicle
}

/**
 * Limits the user to `groupIds` (null: not limited, sees the whole organization). The caller
 * checked the groups are the user's organization's.
 */
export async function setUserGroups(
  db: Database,
  params: { orgId: string; userId: string; groupIds: readonly string[] | null },
) {
  await db
    .update(users)
    .set({ limitedToGroups: params.groupIds !== null, updatedAt: new Date() })
    .where(and(eq(users.id, params.userId), eq(users.orgId, params.orgId)))
  await db.delete(userVehicleGroups).where(eq(userVehicleGroups.userId, params.userId))
  if (!params.groupIds || params.groupIds.length === 0) return
  await db
    .insert(userVehicleGroups)
    .values(params.groupIds.map((groupId) => ({ userId: params.userId, groupId })))
    .onConflictDoNothing()
}

/**
 * Each of these users' groups: null for a user not limited to groups, the ids of their groups
 * otherwise (empty when all were removed: such a user sees no vehicle).
 */
export async function findUserGroupIds(
  db: Database,
  userIds: readonly string[],
): Promise<Map<string, string[] | null>> {
  const byUser = new Map<string, string[] | null>()
  if (userIds.length === 0) return byUser
  const flags = await db
    .select({ id: users.id, limited: users.limitedToGroups })
    .from(users)
    .where(inArray(users.id, [...userIds]))
  for (const row of flags) byUser.set(row.id, row.limited ? [] : null)
  const rows = await db
    .select({ userId: userVehicleGroups.userId, groupId: userVehicleGroups.groupId })
    .from(userVehicleGroups)
    .where(inArray(userVehicleGroups.userId, [...userIds]))
    .orderBy(asc(userVehicleGroups.groupId))
  for (const row of rows) byUser.get(row.userId)?.push(row.groupId)
  return byUser
}
