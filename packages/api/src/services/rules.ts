import { findGeofenceById } from '@fms/db/queries/geofences'
import { createRule, deleteRule, listRules, updateRule } from '@fms/db/queries/rules'
import { canSeeVehicle, type VehicleScope, wholeOrgScope } from '@fms/db/queries/vehicle-scope'
import { findVehicleById } from '@fms/db/queries/vehicles'
import type { DbDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import type { TCreateRuleInput, TListRulesInput, TUpdateRuleInput } from '../schemas/index.ts'
import { mapDbErrors, orNotFound } from './db-errors.ts'

/** A rule may only name a vehicle and a geofence of its own organization. */
async function assertLinks(
  deps: DbDeps,
  orgId: string,
  links: { vehicleId?: string | null | undefined; geofenceId?: string | null | undefined },
) {
  if (
    links.vehicleId &&
    !(await findVehicleById(deps.db, { scope: wholeOrgScope(orgId), id: links.vehicleId }))
  ) {
    throw new AppError('NOT_FOUND', 'Vehicle not found', {
      fieldErrors: { vehicleId: ['Vehicle not found'] },
    })
  }
  if (links.geofenceId && !(await findGeofenceById(deps.db, { orgId, id: links.geofenceId }))) {
    throw new AppError('NOT_FOUND', 'Geofence not found', {
      fieldErrors: { geofenceId: ['Geofence not found'] },
    })
  }
}

/** The rules; a group-limited user sees the ones for all vehicles and for theirs. */
export async function listOrgRules(deps: DbDeps, scope: VehicleScope, input: TListRulesInput) {
  const page = await mapDbErrors(listRules(deps.db, { ...input, orgId: scope.orgId }))
  const items = page.items.filter((rule) => !rule.vehicleId || canSeeVehicle(scope, rule.vehicleId))
  return { ...page, items }
}

export async function createOrgRule(deps: DbDeps, orgId: string, input: TCreateRuleInput) {
  await assertLinks(deps, orgId, input)
  return createRule(deps.db, { orgId, fields: input })
}

export async function updateOrgRule(deps: DbDeps, orgId: string, input: TUpdateRuleInput) {
  const { id, ...patch } = input
  await assertLinks(deps, orgId, patch)
  return orNotFound(updateRule(deps.db, { orgId, id, patch }), 'Rule')
}

export function removeOrgRule(deps: DbDeps, orgId: string, id: string) {
  return orNotFound(deleteRule(deps.db, { orgId, id }), 'Rule')
}
