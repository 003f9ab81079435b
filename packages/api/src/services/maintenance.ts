import {
  createSchedule,
  deletePurchase,
  deleteSchedule,
  findLastServices,
  findScheduleById,
  findVehicleCounters,
  insertPurchase,
  insertService,
  listPurchases,
  listSchedules,
  listServices,
  updateSchedule,
  type VehicleCounterRow,
} from '@fms/db/queries/maintenance'
import { findVehiclePointsSince } from '@fms/db/queries/telemetry'
import { canSeeVehicle, type VehicleScope, wholeOrgScope } from '@fms/db/queries/vehicle-scope'
import { findVehicleById } from '@fms/db/queries/vehicles'
import type { MaintenanceSchedule } from '@fms/db/schema'
import {
  checkPurchase,
  detectRefuels,
  findMaintenanceDue,
  type MaintenanceDue,
  PURCHASE_MATCH_MS,
} from '@fms/engine'
import type { DbDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import {
  findScheduleProblem,
  type TCompleteServiceInput,
  type TCreatePurchaseInput,
  type TCreateScheduleInput,
  type TListPurchasesInput,
  type TListSchedulesInput,
  type TServiceHistoryInput,
  type TUpdateScheduleInput,
} from '../schemas/index.ts'
import { formatCsv } from './csv.ts'
import { orNotFound } from './db-errors.ts'
import { refuseFuture } from './past-time.ts'

/** A vehicle's odometer and engine hours now: counted on the committed stream, plus its offsets. */
export function readVehicleReadings(row: VehicleCounterRow) {
  const counters = row.counters
  const odometer = counters ? (counters.odometerKm ?? counters.distanceKm) : null
  const engineSec = counters?.engineSec ?? null
  return {
    odometerKm: odometer === null ? null : round(odometer + row.odometerOffsetKm, 1),
    engineHours: engineSec === null ? null : round(engineSec / 3600 + row.engineHoursOffset, 2),
    fuelPct: counters?.fuelPct ?? null,
  }
}

function round(value: number, digits: number) {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

export interface VehicleDue extends MaintenanceDue {
  vehicleId: string
  vehicleCode: string
  odometerKm: number | null
  engineHours: number | null
}

/** Each schedule's vehicles (its one, or every vehicle of its type) with when it is due. */
export async function findSchedulesDue(
  deps: DbDeps,
  schedules: readonly MaintenanceSchedule[],
  now = Date.now(),
): Promise<(MaintenanceSchedule & { vehicles: VehicleDue[] })[]> {
  if (schedules.length === 0) return []
  const orgIds = [...new Set(schedules.map((s) => s.orgId))]
  const counters = await findVehicleCounters(deps.db, { orgIds })
  const services = await findLastServices(deps.db, { scheduleIds: schedules.map((s) => s.id) })
  const lastOf = new Map(services.map((s) => [`${s.scheduleId}:${s.vehicleId}`, s]))
  return schedules.map((schedule) => {
    const targets = counters.filter(
      (v) =>
        v.orgId === schedule.orgId &&
        (schedule.vehicleId ? v.id === schedule.vehicleId : v.type === schedule.vehicleType),
    )
    const intervals = { ...schedule, createdAt: schedule.createdAt.getTime() }
    return {
      ...schedule,
      vehicles: targets.map((vehicle) => {
        const readings = readVehicleReadings(vehicle)
        const last = lastOf.get(`${schedule.id}:${vehicle.id}`)
        const due = findMaintenanceDue(
          intervals,
          readings,
          last
            ? {
                id: last.id,
                performedAt: last.performedAt.getTime(),
                odometerKm: last.odometerKm,
                engineHours: last.engineHours,
              }
            : null,
          now,
        )
        return {
          vehicleId: vehicle.id,
          vehicleCode: vehicle.code,
          odometerKm: readings.odometerKm,
          engineHours: readings.engineHours,
          ...due,
          remainingKm: due.remainingKm === null ? null : round(due.remainingKm, 1),
          remainingHours: due.remainingHours === null ? null : round(due.remainingHours, 2),
          remainingDays: due.remainingDays === null ? null : round(due.remainingDays, 2),
        }
      }),
    }
  })
}

async function findVehicleOrThrow(deps: DbDeps, scope: VehicleScope, id: string) {
  return orNotFound(findVehicleById(deps.db, { scope, id }), 'Vehicle')
}

export async function listOrgSchedules(
  deps: DbDeps,
  scope: VehicleScope,
  input: TListSchedulesInput,
) {
  const { orgId } = scope
  const vehicle = input.vehicleId
    ? await findVehicleOrThrow(deps, scope, input.vehicleId)
    : undefined
  const schedules = await listSchedules(deps.db, { orgId, vehicle })
  // A schedule of one vehicle the caller doesn't see is left out, like that vehicle.
  const visible = schedules.filter((s) => s.vehicleId === null || canSeeVehicle(scope, s.vehicleId))
  const items = (await findSchedulesDue(deps, visible)).map((schedule) => ({
    ...schedule,
    vehicles: schedule.vehicles.filter(
      (v) =>
        canSeeVehicle(scope, v.vehicleId) &&
        (!input.vehicleId || v.vehicleId === input.vehicleId) &&
        (!input.status || v.status === input.status),
    ),
  }))
  return {
    items: input.status ? items.filter((s) => s.vehicles.length > 0) : items,
    nextCursor: null,
  }
}

export async function createOrgSchedule(deps: DbDeps, orgId: string, input: TCreateScheduleInput) {
  if (input.vehicleId) await findVehicleOrThrow(deps, wholeOrgScope(orgId), input.vehicleId)
  const fields = { ...input, vehicleType: input.vehicleId ? null : (input.vehicleType ?? null) }
  return createSchedule(deps.db, { orgId, fields })
}

export async function updateOrgSchedule(deps: DbDeps, orgId: string, input: TUpdateScheduleInput) {
  const { id, ...patch } = input
  const current = await orNotFound(findScheduleById(deps.db, { orgId, id }), 'Schedule')
  // A patch is checked as the whole schedule it makes, by the create input's rule.
  const problem = findScheduleProblem({ ...current, ...patch })
  if (problem) {
    throw new AppError('BAD_REQUEST', problem.message, {
      fieldErrors: { [problem.field]: [problem.message] },
    })
  }
  if (patch.vehicleId) await findVehicleOrThrow(deps, wholeOrgScope(orgId), patch.vehicleId)
  return orNotFound(updateSchedule(deps.db, { orgId, id, patch }), 'Schedule')
}

export function removeOrgSchedule(deps: DbDeps, orgId: string, id: string) {
  return orNotFound(deleteSchedule(deps.db, { orgId, id }), 'Schedule')
}

/**
 * Logs a service: its odometer and engine hours default to the vehicle's now, and when it
 * completes a schedule, that schedule's interval restarts from it for this vehicle.
 */
export async function completeOrgService(
  deps: DbDeps,
  user: { orgId: string; id: string },
  scope: VehicleScope,
  input: TCompleteServiceInput,
) {
  const vehicle = await findVehicleOrThrow(deps, scope, input.vehicleId)
  if (input.scheduleId) {
    const schedule = await orNotFound(
      findScheduleById(deps.db, { orgId: user.orgId, id: input.scheduleId }),
      'Schedule',
    )
    const applies = schedule.vehicleId
      ? schedule.vehicleId === vehicle.id
      : schedule.vehicleType === vehicle.type
    if (!applies) {
      const message = 'This schedule is not for this vehicle'
      throw new AppError('BAD_REQUEST', message, { fieldErrors: { scheduleId: [message] } })
    }
  }
  const performedAt = input.performedAt ?? new Date()
  refuseFuture(performedAt.getTime(), 'performedAt')
  const [row] = await findVehicleCounters(deps.db, {
    orgIds: [user.orgId],
    vehicleIds: [vehicle.id],
  })
  const readings = row ? readVehicleReadings(row) : { odometerKm: null, engineHours: null }
  return insertService(deps.db, {
    orgId: user.orgId,
    vehicleId: vehicle.id,
    scheduleId: input.scheduleId ?? null,
    performedAt,
    odometerKm: input.odometerKm === undefined ? readings.odometerKm : input.odometerKm,
    engineHours: input.engineHours === undefined ? readings.engineHours : input.engineHours,
    cost: input.cost ?? null,
    notes: input.notes ?? null,
    createdBy: user.id,
  })
}

export async function listOrgServices(
  deps: DbDeps,
  scope: VehicleScope,
  input: TServiceHistoryInput,
) {
  const { orgId } = scope
  if (input.vehicleId) await findVehicleOrThrow(deps, scope, input.vehicleId)
  const items = await listServices(deps.db, { ...input, orgId })
  return { items: items.filter((s) => canSeeVehicle(scope, s.vehicleId)) }
}

/** The service book as CSV (spreadsheet-safe cells, see csv.ts). */
export async function formatServicesCsv(
  deps: DbDeps,
  scope: VehicleScope,
  input: TServiceHistoryInput,
) {
  const { items } = await listOrgServices(deps, scope, input)
  const csv = formatCsv(
    [
      'vehicle_code',
      'vehicle_id',
      'performed_at',
      'schedule',
      'odometer_km',
      'engine_hours',
      'cost',
      'notes',
    ],
    items.map((s) => [
      s.vehicleCode,
      s.vehicleId,
      s.performedAt.toISOString(),
      s.scheduleName,
      s.odometerKm,
      s.engineHours,
      s.cost,
      s.notes,
    ]),
  )
  return { filename: 'service-history.csv', csv }
}

/** Vehicles' odometer, engine hours and fuel now (the maintenance page's header figures). */
export async function listOrgVehicleReadings(deps: DbDeps, scope: VehicleScope) {
  const { orgId } = scope
  const rows = await findVehicleCounters(deps.db, { orgIds: [orgId] })
  return {
    items: rows
      .filter((row) => canSeeVehicle(scope, row.id))
      .map((row) => ({
        vehicleId: row.id,
        vehicleCode: row.code,
        fuelTankLitres: row.fuelTankLitres,
        ...readVehicleReadings(row),
      })),
  }
}

const DEFAULT_PURCHASE_DAYS = 31

/**
 * Receipts over the range, each checked against the refuels its vehicle's tank level shows
 * around its time (`checkPurchase`): one read of each vehicle's points over the receipts' span.
 */
export async function listOrgPurchases(
  deps: DbDeps,
  scope: VehicleScope,
  input: TListPurchasesInput,
) {
  const { orgId } = scope
  if (input.vehicleId) await findVehicleOrThrow(deps, scope, input.vehicleId)
  const to = input.to ?? new Date()
  const from = input.from ?? new Date(to.getTime() - DEFAULT_PURCHASE_DAYS * 86_400_000)
  const purchases = (await listPurchases(deps.db, { ...input, orgId, from, to })).filter((p) =>
    canSeeVehicle(scope, p.vehicleId),
  )
  const byVehicle = new Map<string, typeof purchases>()
  for (const p of purchases) byVehicle.set(p.vehicleId, [...(byVehicle.get(p.vehicleId) ?? []), p])
  const checked = new Map<string, ReturnType<typeof checkPurchase>>()
  for (const [vehicleId, list] of byVehicle) {
    const times = list.map((p) => p.time.getTime())
    const points = await findVehiclePointsSince(deps.db, {
      orgId,
      vehicleId,
      from: new Date(Math.min(...times) - PURCHASE_MATCH_MS - 3_600_000),
      to: new Date(Math.max(...times) + PURCHASE_MATCH_MS + 3_600_000),
    })
    const refuels = detectRefuels(points)
    const hasFuel = points.some((p) => p.fuel !== null)
    for (const p of list) {
      checked.set(
        p.id,
        checkPurchase(
          { time: p.time.getTime(), litres: p.litres },
          refuels,
          p.fuelTankLitres,
          hasFuel,
        ),
      )
    }
  }
  return {
    items: purchases.map((p) => {
      const check = checked.get(p.id)
      return {
        ...p,
        check: check?.check ?? 'no_fuel_data',
        refuelLitres: check?.refuelLitres ?? null,
        refuelTime: check?.refuelTime === null || !check ? null : new Date(check.refuelTime),
        isFlagged: check?.check === 'no_refuel' || check?.check === 'refuel_smaller',
      }
    }),
  }
}

export async function createOrgPurchase(
  deps: DbDeps,
  scope: VehicleScope,
  input: TCreatePurchaseInput,
) {
  const { orgId } = scope
  await findVehicleOrThrow(deps, scope, input.vehicleId)
  refuseFuture(input.time.getTime(), 'time')
  return insertPurchase(deps.db, {
    orgId,
    vehicleId: input.vehicleId,
    time: input.time,
    litres: input.litres,
    price: input.price ?? null,
    station: input.station ?? null,
    notes: input.notes ?? null,
  })
}

export function removeOrgPurchase(deps: DbDeps, orgId: string, id: string) {
  return orNotFound(deletePurchase(deps.db, { orgId, id }), 'Fuel purchase')
}
