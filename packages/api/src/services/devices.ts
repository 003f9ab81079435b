import { findApiTokenById } from '@fms/db/queries/api-tokens'
import {
  createDevice,
  deleteDevice,
  findDeviceById,
  listDevices,
  updateDevice,
} from '@fms/db/queries/devices'
import { type VehicleScope, wholeOrgScope } from '@fms/db/queries/vehicle-scope'
import { findVehicleById } from '@fms/db/queries/vehicles'
import type { ApiDeps, DbDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import type { TCreateDeviceInput, TListDevicesInput, TUpdateDeviceInput } from '../schemas/index.ts'
import { type ConflictFields, mapDbErrors, orNotFound } from './db-errors.ts'
import { publishFleetChange } from './live.ts'

/** Writes publish the change to live subscribers (`fleet.changes`). */
type FleetDeps = Pick<ApiDeps, 'db' | 'live'>

const CONFLICTS: ConflictFields = {
  devices_org_external_id_key: {
    field: 'externalId',
    message: 'A device with this external id already exists',
  },
  devices_org_mac_key: {
    field: 'macAddress',
    message: 'A device with this MAC address already exists',
  },
}

/** A device may only link to a vehicle and an active token of its own organization. */
async function assertLinks(
  deps: DbDeps,
  orgId: string,
  links: { vehicleId?: string | null | undefined; tokenId?: string | null | undefined },
) {
  if (
    links.vehicleId &&
    !(await findVehicleById(deps.db, { scope: wholeOrgScope(orgId), id: links.vehicleId }))
  ) {
    throw new AppError('NOT_FOUND', 'Vehicle not found', {
      fieldErrors: { vehicleId: ['Vehicle not found'] },
    })
  }
  if (links.tokenId) {
    const token = await findApiTokenById(deps.db, { orgId, id: links.tokenId })
    if (!token || token.revokedAt) {
      throw new AppError('NOT_FOUND', 'Token not found', {
        fieldErrors: { tokenId: ['Token not found'] },
      })
    }
  }
}

export function listOrgDevices(deps: DbDeps, scope: VehicleScope, input: TListDevicesInput) {
  return mapDbErrors(listDevices(deps.db, { ...input, orgId: scope.orgId, scope }))
}

export function findOrgDevice(deps: DbDeps, scope: VehicleScope, id: string) {
  return orNotFound(findDeviceById(deps.db, { scope, id }), 'Device')
}

export async function createOrgDevice(deps: FleetDeps, orgId: string, input: TCreateDeviceInput) {
  await assertLinks(deps, orgId, input)
  const device = await mapDbErrors(createDevice(deps.db, { orgId, fields: input }), CONFLICTS)
  return publishFleetChange(deps, 'device', 'created', device)
}

export async function updateOrgDevice(deps: FleetDeps, orgId: string, input: TUpdateDeviceInput) {
  const { id, ...patch } = input
  await assertLinks(deps, orgId, patch)
  const device = await orNotFound(
    mapDbErrors(updateDevice(deps.db, { orgId, id, patch }), CONFLICTS),
    'Device',
  )
  return publishFleetChange(deps, 'device', 'updated', device)
}

export async function removeOrgDevice(deps: FleetDeps, orgId: string, id: string) {
  const device = await orNotFound(deleteDevice(deps.db, { orgId, id }), 'Device')
  return publishFleetChange(deps, 'device', 'removed', device)
}
