import { findApiTokenById } from '@fms/db/queries/api-tokens'
import { createDevice, updateDevice } from '@fms/db/queries/devices'
import { findVehicleById } from '@fms/db/queries/vehicles'
import type { Context } from '../context.ts'
import { AppError } from '../errors.ts'
import type { TCreateDeviceInput, TUpdateDeviceInput } from '../schemas/index.ts'
import { type ConflictFields, mapDbErrors, orNotFound } from './db-errors.ts'

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
  ctx: Context,
  orgId: string,
  links: { vehicleId?: string | null | undefined; tokenId?: string | null | undefined },
) {
  if (links.vehicleId && !(await findVehicleById(ctx.db, { orgId, id: links.vehicleId }))) {
    throw new AppError('NOT_FOUND', 'Vehicle not found', {
      fieldErrors: { vehicleId: ['Vehicle not found'] },
    })
  }
  if (links.tokenId) {
    const token = await findApiTokenById(ctx.db, { orgId, id: links.tokenId })
    if (!token || token.revokedAt) {
      throw new AppError('NOT_FOUND', 'Token not found', {
        fieldErrors: { tokenId: ['Token not found'] },
      })
    }
  }
}

export async function createOrgDevice(ctx: Context, orgId: string, input: TCreateDeviceInput) {
  await assertLinks(ctx, orgId, input)
  return mapDbErrors(createDevice(ctx.db, { orgId, fields: input }), CONFLICTS)
}

export async function updateOrgDevice(ctx: Context, orgId: string, input: TUpdateDeviceInput) {
  const { id, ...patch } = input
  await assertLinks(ctx, orgId, patch)
  return orNotFound(mapDbErrors(updateDevice(ctx.db, { orgId, id, patch }), CONFLICTS), 'Device')
}
