import { acknowledgeAlert, listAlerts } from '@fms/db/queries/alerts'
import type { VehicleScope } from '@fms/db/queries/vehicle-scope'
import { findVehicleTanks } from '@fms/db/queries/vehicles'
import { toLitres } from '@fms/engine'
import type { DbDeps } from '../context.ts'
import type { TListAlertsInput } from '../schemas/index.ts'
import { mapDbErrors, orNotFound } from './db-errors.ts'

/** The fuel alerts whose value is percentage points of the tank (litres with a tank size). */
const FUEL_KINDS = new Set(['refuel', 'fuel_drop', 'low_fuel'])

/**
 * A page of the organization's alerts. Refuel, drain and low-fuel alerts carry `litres` (their
 * percentage points in litres of the vehicle's tank) when the vehicle's tank size is set; null
 * otherwise and for every other kind.
 */
export async function listOrgAlerts(deps: DbDeps, scope: VehicleScope, input: TListAlertsInput) {
  const { orgId } = scope
  const page = await mapDbErrors(listAlerts(deps.db, { ...input, orgId, scope }))
  const vehicleIds = [
    ...new Set(page.items.filter((a) => FUEL_KINDS.has(a.kind)).map((a) => a.vehicleId)),
  ]
  const tanks = new Map<string, number | null>()
  if (vehicleIds.length > 0) {
    for (const row of await findVehicleTanks(deps.db, { orgId, vehicleIds })) {
      tanks.set(row.id, row.fuelTankLitres)
    }
  }
  return {
    ...page,
    items: page.items.map((alert) => ({
      ...alert,
      litres: FUEL_KINDS.has(alert.kind)
        ? toLitres(
            alert.value === null ? null : Math.abs(alert.value),
            tanks.get(alert.vehicleId) ?? null,
          )
        : null,
    })),
  }
}

/** Any member of the organization may acknowledge; the first acknowledgement is kept. */
export function acknowledgeOrgAlert(
  deps: DbDeps,
  user: { id: string },
  scope: VehicleScope,
  alertId: string,
) {
  return orNotFound(acknowledgeAlert(deps.db, { scope, id: alertId, userId: user.id }), 'Alert')
}
