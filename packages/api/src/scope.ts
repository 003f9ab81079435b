import { findVehicleScope, type VehicleScope, wholeOrgScope } from '@fms/db/queries/vehicle-scope'
import type { AuthenticatedUser } from './authenticate.ts'
import type { DbDeps } from './context.ts'
import { notFound } from './errors.ts'

export type { VehicleScope }

/**
 * The one answer to "which vehicles may this caller see", resolved once per call by the auth
 * middleware (`ctx.scope`): an admin, or a user not limited to groups, sees the whole
 * organization; a limited user only the vehicles of their groups (no query unless limited).
 */
export async function resolveVehicleScope(
  deps: DbDeps,
  user: Pick<AuthenticatedUser, 'id' | 'orgId' | 'role' | 'limitedToGroups'>,
): Promise<VehicleScope> {
  if (user.role === 'admin' || !user.limitedToGroups) return wholeOrgScope(user.orgId)
  return findVehicleScope(deps.db, { orgId: user.orgId, userId: user.id })
}

/** The vehicle-naming fields of a procedure input, checked against the scope before it runs. */
const VEHICLE_ID_KEYS = ['vehicleId', 'vehicleIds'] as const

/**
 * Throws NOT_FOUND (as for another organization's vehicle) when the raw input of a call names a
 * vehicle, by `vehicleId` or `vehicleIds` at its top level, that the scope may not see. Runs for
 * every signed-in procedure (trpc.ts), so a procedure taking a vehicle id can't forget it.
 */
export function assertInputInScope(scope: VehicleScope, input: unknown): void {
  if (scope.vehicleIds === null || typeof input !== 'object' || input === null) return
  const allowed = scope.vehicleIds
  for (const key of VEHICLE_ID_KEYS) {
    const value = (input as Record<string, unknown>)[key]
    const ids = Array.isArray(value) ? value : [value]
    for (const id of ids) {
      if (typeof id === 'string' && !allowed.includes(id)) throw notFound('Vehicle')
    }
  }
}
