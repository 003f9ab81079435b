import { findGeofenceById } from '@fms/db/queries/geofences'
import { createRule, updateRule } from '@fms/db/queries/rules'
import { findVehicleById } from '@fms/db/queries/vehicles'
import type { Context } from '../context.ts'
import { AppError } from '../errors.ts'
import type { TCreateRuleInput, TUpdateRuleInput } from '../schemas/index.ts'
import { orNotFound } from './db-errors.ts'

/** A rule may only name a vehicle and a geofence of its own organization. */
async function assertLinks(
  ctx: Context,
  orgId: string,
  links: { vehicleId?: string | null | undefined; geofenceId?: string | null | undefined },
) {
  if (links.vehicleId && !(await findVehicleById(ctx.db, { orgId, id: links.vehicleId }))) {
    throw new AppError('NOT_FOUND', 'Vehicle not found', {
      fieldErrors: { vehicleId: ['Vehicle not found'] },
    })
  }
  if (links.geofenceId && !(await findGeofenceById(ctx.db, { orgId, id: links.geofenceId }))) {
    throw new AppError('NOT_FOUND', 'Geofence not found', {
      fieldErrors: { geofenceId: ['Geofence not found'] },
    })
  }
}

export async function createOrgRule(ctx: Context, orgId: string, input: TCreateRuleInput) {
  await assertLinks(ctx, orgId, input)
  return createRule(ctx.db, { orgId, fields: input })
}

export async function updateOrgRule(ctx: Context, orgId: string, input: TUpdateRuleInput) {
  const { id, ...patch } = input
  await assertLinks(ctx, orgId, patch)
  return orNotFound(updateRule(ctx.db, { orgId, id, patch }), 'Rule')
}
