import type { Database } from '@fms/db'
import {
  applyTimelinePlan,
  findDriversByIdentifier,
  findStintsSince,
  lockVehicles,
} from '@fms/db/queries/drivers'
import { type AlertEvent, type IdentifiedPoint, planIdentification } from '@fms/engine'

/** One vehicle's points of a turn that named their driver. */
export interface IdentifiedVehicle {
  orgId: string
  vehicleId: string
  points: IdentifiedPoint[]
}

/** The points that carry a driver identifier, as the timeline plans take them. */
export function findIdentifiedPoints(
  points: readonly { time: number; driverId?: string | null | undefined }[],
): IdentifiedPoint[] {
  const identified: IdentifiedPoint[] = []
  for (const point of points) {
    if (point.driverId) identified.push({ time: point.time, identifier: point.driverId })
  }
  return identified
}

/**
 * The alert for an identifier no driver of the organization carries, raised once where the
 * vehicle's unknown stint starts. Its key is the same on every node and every retry.
 */
export function unknownDriverAlert(vehicleId: string, point: IdentifiedPoint): AlertEvent {
  return {
    ruleId: '',
    kind: 'unknown_driver',
    vehicleId,
    time: point.time,
    endTime: point.time,
    value: null,
    message: `Unknown driver identifier: ${point.identifier}`,
    key: `unknown_driver:${vehicleId}:${point.identifier}:${point.time}`,
    subject: point.identifier,
    emittedAt: point.time,
  }
}

/**
 * In the rules worker's transaction: moves each vehicle's driver timeline to the identifiers its
 * points carried (`planIdentification`), under the vehicles' row locks, so a hand assignment on
 * another node never interleaves. Answers, per organization, the unknown-driver alerts to store
 * with the turn's other alerts. Runs again in full when the turn's write is retried: the plan is
 * made against what is stored, so a point already applied changes nothing.
 */
export async function applyIdentifications(
  tx: Database,
  vehicles: readonly IdentifiedVehicle[],
): Promise<Map<string, AlertEvent[]>> {
  const alerts = new Map<string, AlertEvent[]>()
  const byOrg = new Map<string, IdentifiedVehicle[]>()
  for (const vehicle of vehicles) {
    if (vehicle.points.length === 0) continue
    const list = byOrg.get(vehicle.orgId)
    if (list) list.push(vehicle)
    else byOrg.set(vehicle.orgId, [vehicle])
  }
  for (const [orgId, list] of byOrg) {
    const identifiers = [...new Set(list.flatMap((v) => v.points.map((p) => p.identifier)))]
    const drivers = await findDriversByIdentifier(tx, { orgId, identifiers })
    // A vehicle deleted since its points were stored has no timeline to move.
    const existing = await lockVehicles(tx, { orgId, vehicleIds: list.map((v) => v.vehicleId) })
    const present = list.filter((v) => existing.has(v.vehicleId))
    const from = Math.min(...present.flatMap((v) => v.points.map((p) => p.time)))
    const stints = await findStintsSince(tx, {
      orgId,
      vehicleIds: present.map((v) => v.vehicleId),
      from,
    })
    for (const vehicle of present) {
      const plan = planIdentification(
        stints.filter((s) => s.vehicleId === vehicle.vehicleId),
        vehicle.points,
        (identifier) => drivers.get(identifier) ?? null,
      )
      await applyTimelinePlan(tx, { orgId, vehicleId: vehicle.vehicleId, plan })
      for (const point of plan.unknown) {
        const own = alerts.get(orgId) ?? []
        own.push(unknownDriverAlert(vehicle.vehicleId, point))
        alerts.set(orgId, own)
      }
    }
  }
  return alerts
}
