import type { Database } from '@fms/db'
import {
  createGroup,
  deleteGroup,
  findGroupById,
  findOrgGroupIds,
  findUserGroupIds,
  listGroups,
  setGroupVehicles,
  setUserGroups,
  setVehicleGroups,
  updateGroup,
} from '@fms/db/queries/groups'
import { findOrgVehicleIds } from '@fms/db/queries/vehicles'
import type { DbDeps } from '../context.ts'
import { notFound } from '../errors.ts'
import type { TCreateGroupInput, TListGroupsInput, TUpdateGroupInput } from '../schemas/index.ts'
import { type ConflictFields, mapDbErrors, orNotFound } from './db-errors.ts'

const CONFLICTS: ConflictFields = {
  vehicle_groups_org_name_key: { field: 'name', message: 'A group with this name already exists' },
}

/** Who asks: an admin sees every group; a user limited to groups only those. */
interface Viewer {
  id: string
  orgId: string
  role: string
}

/** The groups the viewer may see: null for all of the organization's. */
async function findViewerGroupIds(db: Database, viewer: Viewer): Promise<string[] | null> {
  if (viewer.role === 'admin') return null
  return (await findUserGroupIds(db, [viewer.id])).get(viewer.id) ?? []
}

export async function listVisibleGroups(deps: DbDeps, viewer: Viewer, input: TListGroupsInput) {
  const onlyIds = await findViewerGroupIds(deps.db, viewer)
  return mapDbErrors(listGroups(deps.db, { ...input, orgId: viewer.orgId, onlyIds }))
}

export async function findVisibleGroup(deps: DbDeps, viewer: Viewer, id: string) {
  const onlyIds = await findViewerGroupIds(deps.db, viewer)
  if (onlyIds && !onlyIds.includes(id)) throw notFound('Group')
  return orNotFound(findGroupById(deps.db, { orgId: viewer.orgId, id }), 'Group')
}

/** Throws NOT_FOUND unless every one of `ids` is a vehicle of the organization. */
async function assertOrgVehicles(db: Database, orgId: string, ids: readonly string[]) {
  const found = await findOrgVehicleIds(db, { orgId, vehicleIds: ids })
  if (ids.some((id) => !found.has(id))) throw notFound('Vehicle')
}

/** Throws NOT_FOUND unless every one of `ids` is a group of the organization. */
export async function assertOrgGroups(db: Database, orgId: string, ids: readonly string[]) {
  const found = await findOrgGroupIds(db, { orgId, ids })
  if (ids.some((id) => !found.has(id))) throw notFound('Group')
}

export function createOrgGroup(deps: DbDeps, orgId: string, input: TCreateGroupInput) {
  const { vehicleIds, ...fields } = input
  return mapDbErrors(
    deps.db.transaction(async (tx) => {
      if (vehicleIds) await assertOrgVehicles(tx, orgId, vehicleIds)
      const group = await createGroup(tx, { orgId, fields })
      if (vehicleIds) await setGroupVehicles(tx, { groupId: group.id, vehicleIds })
      return { ...group, vehicleIds: vehicleIds ?? [] }
    }),
    CONFLICTS,
  )
}

export function updateOrgGroup(deps: DbDeps, orgId: string, input: TUpdateGroupInput) {
  const { id, vehicleIds, ...patch } = input
  return mapDbErrors(
    deps.db.transaction(async (tx) => {
      if (vehicleIds) await assertOrgVehicles(tx, orgId, vehicleIds)
      await orNotFound(updateGroup(tx, { orgId, id, patch }), 'Group')
      if (vehicleIds) await setGroupVehicles(tx, { groupId: id, vehicleIds })
      return orNotFound(findGroupById(tx, { orgId, id }), 'Group')
    }),
    CONFLICTS,
  )
}

/** Removes a group; a user limited to it keeps their other groups (none left: sees no vehicle). */
export async function removeOrgGroup(deps: DbDeps, orgId: string, id: string) {
  const group = await orNotFound(findGroupById(deps.db, { orgId, id }), 'Group')
  await orNotFound(deleteGroup(deps.db, { orgId, id }), 'Group')
  return group
}

/** Sets a vehicle's groups (in the transaction that wrote the vehicle). */
export async function setOrgVehicleGroups(
  tx: Database,
  params: { orgId: string; vehicleId: string; groupIds: readonly string[] },
) {
  await assertOrgGroups(tx, params.orgId, params.groupIds)
  await setVehicleGroups(tx, params)
}

/** Limits a user to groups (null or empty: not limited), in the transaction that wrote the user. */
export async function setOrgUserGroups(
  tx: Database,
  params: { orgId: string; userId: string; groupIds: readonly string[] | null },
) {
  const groupIds = params.groupIds?.length ? params.groupIds : null
  if (groupIds) await assertOrgGroups(tx, params.orgId, groupIds)
  await setUserGroups(tx, { ...params, groupIds })
}
