/**
 * Maintenance: when a schedule is next due for a vehicle, and fuel receipts against the refuels
 * the tank level shows. Pure: the server brings the counters, services and points.
 */

import { RULE_DEFAULTS } from './config.ts'
import { detectFuelEpisodes } from './fuel-track.ts'
import { sortPoints } from './points.ts'
import type { RulePointInput } from './types.ts'

const DAY_MS = 86_400_000

export interface ScheduleIntervals {
  everyKm: number | null
  everyHours: number | null
  everyDays: number | null
  warnKm: number | null
  warnHours: number | null
  warnDays: number | null
  /** Days count from here before the first service (the schedule's creation). */
  createdAt: number
}

/** Where the interval restarts: the last service of this schedule on this vehicle. */
export interface ServicePoint {
  id: string
  performedAt: number
  odometerKm: number | null
  engineHours: number | null
}

export type DueStatus = 'ok' | 'due_soon' | 'overdue'

export interface MaintenanceDue {
  status: DueStatus
  /** Odometer, engine hours and time at which it falls due (null: no such interval). */
  dueKm: number | null
  dueHours: number | null
  dueAt: number | null
  /** What is left (negative: overdue by), in each unit. */
  remainingKm: number | null
  remainingHours: number | null
  remainingDays: number | null
  /** The service the interval counts from (null: none yet). */
  sinceServiceId: string | null
}

const LEVEL: Record<DueStatus, number> = { ok: 0, due_soon: 1, overdue: 2 }

function judge(remaining: number | null, warn: number | null): DueStatus {
  if (remaining === null) return 'ok'
  if (remaining <= 0) return 'overdue'
  return remaining <= (warn ?? 0) ? 'due_soon' : 'ok'
}

/**
 * When the schedule is next due for a vehicle at `now` with the odometer and engine hours given:
 * each interval counts from the last service (its odometer and hours, or zero before the first;
 * its date, or the schedule's creation), and the worst of the intervals is the status (whichever
 * comes first). A service without an odometer or hours reading restarts those intervals at the
 * readings of the vehicle then unknown: they count from zero, as before any service.
 */
export function findMaintenanceDue(
  schedule: ScheduleIntervals,
  vehicle: { odometerKm: number | null; engineHours: number | null },
  last: ServicePoint | null,
  now: number,
): MaintenanceDue {
  const dueKm = schedule.everyKm === null ? null : (last?.odometerKm ?? 0) + schedule.everyKm
  const dueHours =
    schedule.everyHours === null ? null : (last?.engineHours ?? 0) + schedule.everyHours
  const dueAt =
    schedule.everyDays === null
      ? null
      : (last?.performedAt ?? schedule.createdAt) + schedule.everyDays * DAY_MS
  const remainingKm =
    dueKm === null || vehicle.odometerKm === null ? null : dueKm - vehicle.odometerKm
  const remainingHours =
    dueHours === null || vehicle.engineHours === null ? null : dueHours - vehicle.engineHours
  const remainingDays = dueAt === null ? null : (dueAt - now) / DAY_MS
  const statuses = [
    judge(remainingKm, schedule.warnKm),
    judge(remainingHours, schedule.warnHours),
    judge(remainingDays, schedule.warnDays),
  ]
  const status = statuses.reduce((worst, s) => (LEVEL[s] > LEVEL[worst] ? s : worst), 'ok')
  return {
    status,
    dueKm,
    dueHours,
    dueAt,
    remainingKm,
    remainingHours,
    remainingDays,
    sinceServiceId: last?.id ?? null,
  }
}

/** A refuel the tank level shows: when it started and ended, and how much it rose. */
export interface DetectedRefuel {
  start: number
  end: number
  risePct: number
}

/** The refuels in a vehicle's points (the `refuel` rule's defaults, as the daily summaries use). */
export function detectRefuels(points: readonly RulePointInput[]): DetectedRefuel[] {
  const samples = sortPoints(points).flatMap((p) =>
    p.fuel === null ? [] : [{ time: p.time, fuel: p.fuel }],
  )
  const spec = {
    direction: 1,
    threshold: RULE_DEFAULTS.refuel.threshold,
    windowMs: RULE_DEFAULTS.refuel.durationSec * 1000,
  } as const
  return detectFuelEpisodes(samples, spec).map((episode) => ({
    start: episode.start,
    end: episode.lastTime,
    risePct: episode.extreme - episode.startFuel,
  }))
}

/** How far from a receipt's time a refuel may be and still be its refuel. */
export const PURCHASE_MATCH_MS = 2 * 3_600_000
/** A refuel smaller than this share of the receipt's litres is flagged (after the tolerance). */
export const PURCHASE_MIN_SHARE = 0.8
/** Litres of difference always tolerated (gauge resolution, a topped-up tank). */
export const PURCHASE_TOLERANCE_L = 5

export type PurchaseCheck =
  | 'matched'
  | 'no_refuel'
  | 'refuel_smaller'
  | 'no_fuel_data'
  | 'no_tank_size'

/**
 * A receipt against the detected refuels: the nearest refuel within PURCHASE_MATCH_MS, in litres
 * of the tank. Flags a receipt without a refuel, or with a refuel much smaller than what was paid
 * for (fuel that did not go into this vehicle).
 */
export function checkPurchase(
  purchase: { time: number; litres: number },
  refuels: readonly DetectedRefuel[],
  tankLitres: number | null,
  hasFuelData: boolean,
): { check: PurchaseCheck; refuelLitres: number | null; refuelTime: number | null } {
  if (!hasFuelData) return { check: 'no_fuel_data', refuelLitres: null, refuelTime: null }
  const near = refuels
    .filter(
      (r) =>
        r.end >= purchase.time - PURCHASE_MATCH_MS && r.start <= purchase.time + PURCHASE_MATCH_MS,
    )
    .sort((a, b) => Math.abs(a.start - purchase.time) - Math.abs(b.start - purchase.time))[0]
  if (!near) return { check: 'no_refuel', refuelLitres: null, refuelTime: null }
  if (tankLitres === null)
    return { check: 'no_tank_size', refuelLitres: null, refuelTime: near.start }
  const litres = (near.risePct / 100) * tankLitres
  const isSmaller =
    litres < purchase.litres * PURCHASE_MIN_SHARE && purchase.litres - litres > PURCHASE_TOLERANCE_L
  return {
    check: isSmaller ? 'refuel_smaller' : 'matched',
    refuelLitres: Math.round(litres * 10) / 10,
    refuelTime: near.start,
  }
}

/** Percentage points of a tank of `tankLitres` in litres (null without a tank size or level). */
export function toLitres(pct: number | null, tankLitres: number | null): number | null {
  if (pct === null || tankLitres === null) return null
  return Math.round(((pct * tankLitres) / 100) * 100) / 100
}
