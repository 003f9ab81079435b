import { canSeeVehicle, type VehicleScope } from '@fms/db/queries/vehicle-scope'
import type { LiveAlert } from '@fms/live'
import { type SubscriptionDeps, streamEvents } from './live.ts'

/**
 * Alert versions stored for the caller's organization, resumable like `fleet.changes`; a
 * group-limited user hears only of the vehicles they see.
 */
export function liveAlerts(
  deps: SubscriptionDeps,
  params: { scope: VehicleScope; userId: string; lastEventId: string | null | undefined },
  signal: AbortSignal | undefined,
) {
  const { scope } = params
  return streamEvents<LiveAlert>(deps, { ...params, orgId: scope.orgId }, signal, {
    join: (listener) =>
      deps.live.joinAlerts(scope.orgId, (id, alert) => {
        if (canSeeVehicle(scope, alert.vehicleId)) listener(id, alert)
      }),
    pick: (entry) =>
      entry.message.kind === 'alert' && canSeeVehicle(scope, entry.message.alert.vehicleId)
        ? entry.message.alert
        : undefined,
  })
}
