import type { Database } from '@fms/db'
import { findVehicleGroupIds } from '@fms/db/queries/groups'
import type { VehicleScope } from '@fms/db/queries/vehicle-scope'
import {
  createVehicle,
  deleteVehicle,
  findVehicleById,
  listVehicles,
  updateVehicle,
} from '@fms/db/queries/vehicles'
import type { ApiDeps, DbDeps } from '../context.ts'
import type {
  TCreateVehicleInput,
  TListVehiclesInput,
  TUpdateVehicleInput,
} from '../schemas/index.ts'
import { type ConflictFields, mapDbErrors, orNotFound } from './db-errors.ts'
import { setOrgVehicleGroups } from './groups.ts'
import { publishFleetChange } from './live.ts'

/** Writes publish the change to live subscribers (`fleet.changes`). */
type FleetDeps = Pick<ApiDeps, 'db' | 'live'>

const CONFLICTS: ConflictFields = {
  vehicles_org_code_key: { field: 'code', message: 'A vehicle with this code already exists' },
  vehicles_org_vin_key: { field: 'vin', message: 'A vehicle with this VIN already exists' },
}

/** Vehicles with the ids of their groups. */
async function withGroupIds<T extends { id: string }>(db: Database, rows: T[]) {
  const groups = await findVehicleGroupIds(
    db,
    rows.map((row) => row.id),
  )
  return rows.map((row) => ({ ...row, groupIds: groups.get(row.id) ?? [] }))
}

async function withOneVehicleGroupIds<T extends { id: string }>(db: Database, row: T) {
  const [vehicle] = await withGroupIds(db, [row])
  return vehicle ?? { ...row, groupIds: [] }
}

export async function listOrgVehicles(
  deps: DbDeps,
  scope: VehicleScope,
  input: TListVehiclesInput,
) {
  const page = await mapDbErrors(listVehicles(deps.db, { ...input, orgId: scope.orgId, scope }))
  return { ...page, items: await withGroupIds(deps.db, page.items) }
}

export async function findOrgVehicle(deps: DbDeps, scope: VehicleScope, id: string) {
  const vehicle = await orNotFound(findVehicleById(deps.db, { scope, id }), 'Vehicle')
  return withOneVehicleGroupIds(deps.db, vehicle)
}

export async function createOrgVehicle(deps: FleetDeps, orgId: string, input: TCreateVehicleInput) {
  const { groupIds, ...fields } = input
  const vehicle = await mapDbErrors(
    deps.db.transaction(async (tx) => {
      const row = await createVehicle(tx, { orgId, fields })
      if (groupIds) await setOrgVehicleGroups(tx, { orgId, vehicleId: row.id, groupIds })
      return withOneVehicleGroupIds(tx, row)
    }),
    CONFLICTS,
  )
  return publishFleetChange(deps, 'vehicle', 'created', vehicle)
}

export async function updateOrgVehicle(deps: FleetDeps, orgId: string, input: TUpdateVehicleInput) {
  const { id, groupIds, ...patch } = input
  const vehicle = await mapDbErrors(
    deps.db.transaction(async (tx) => {
      const row = await orNotFound(updateVehicle(tx, { orgId, id, patch }), 'Vehicle')
      if (groupIds) await setOrgVehicleGroups(tx, { orgId, vehicleId: row.id, groupIds })
      return withOneVehicleGroupIds(tx, row)
    }),
    CONFLICTS,
  )
  return publishFleetChange(deps, 'vehicle', 'updated', vehicle)
}

export async function removeOrgVehicle(deps: FleetDeps, orgId: string, id: string) {
  const groups = await findVehicleGroupIds(deps.db, [id])
  const vehicle = await orNotFound(deleteVehicle(deps.db, { orgId, id }), 'Vehicle')
  return publishFleetChange(deps, 'vehicle', 'removed', {
    ...vehicle,
    groupIds: groups.get(id) ?? [],
  })
}
