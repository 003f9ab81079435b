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
import { publishFleetChange } from './live.ts'

/** Writes publish the change to live subscribers (`fleet.changes`). */
type FleetDeps = Pick<ApiDeps, 'db' | 'live'>

const CONFLICTS: ConflictFields = {
  vehicles_org_code_key: { field: 'code', message: 'A vehicle with this code already exists' },
  vehicles_org_vin_key: { field: 'vin', message: 'A vehicle with this VIN already exists' },
}

export function listOrgVehicles(deps: DbDeps, orgId: string, input: TListVehiclesInput) {
  return mapDbErrors(listVehicles(deps.db, { ...input, orgId }))
}

export function findOrgVehicle(deps: DbDeps, orgId: string, id: string) {
  return orNotFound(findVehicleById(deps.db, { orgId, id }), 'Vehicle')
}

export async function createOrgVehicle(deps: FleetDeps, orgId: string, input: TCreateVehicleInput) {
  const vehicle = await mapDbErrors(createVehicle(deps.db, { orgId, fields: input }), CONFLICTS)
  return publishFleetChange(deps, 'vehicle', 'created', vehicle)
}

export async function updateOrgVehicle(deps: FleetDeps, orgId: string, input: TUpdateVehicleInput) {
  const { id, ...patch } = input
  const vehicle = await orNotFound(
    mapDbErrors(updateVehicle(deps.db, { orgId, id, patch }), CONFLICTS),
    'Vehicle',
  )
  return publishFleetChange(deps, 'vehicle', 'updated', vehicle)
}

export async function removeOrgVehicle(deps: FleetDeps, orgId: string, id: string) {
  const vehicle = await orNotFound(deleteVehicle(deps.db, { orgId, id }), 'Vehicle')
  return publishFleetChange(deps, 'vehicle', 'removed', vehicle)
}
