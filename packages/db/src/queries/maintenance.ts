import type { VehicleCounters } from '@fms/engine'
import { and, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import {
  fuelPurchases,
  type MaintenanceSchedule,
  maintenanceSchedules,
  maintenanceServices,
  vehicleRuleState,
  vehicles,
} from '../schema/index.ts'
import { deleteInOrg, firstOrNull, idInOrg, updateInOrg } from './org-rows.ts'

export type ScheduleFields = Omit<MaintenanceSchedule, 'id' | 'orgId' | 'createdAt' | 'updatedAt'>

/** The organization's schedules, of one vehicle (its own and its type's) or all, oldest first. */
export function listSchedules(
  db: Database,
  params: { orgId: string; vehicle?: { id: string; type: string } | undefined },
) {
  const { vehicle } = params
  return db
    .select()
    .from(maintenanceSchedules)
    .where(
      and(
        eq(maintenanceSchedules.orgId, params.orgId),
        vehicle
          ? or(
              eq(maintenanceSchedules.vehicleId, vehicle.id),
              and(
                isNull(maintenanceSchedules.vehicleId),
                eq(maintenanceSchedules.vehicleType, vehicle.type),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(maintenanceSchedules.createdAt, maintenanceSchedules.id)
}

/** Every schedule of every organization (the due checker), oldest first. */
export function listAllSchedules(db: Database) {
  return db.select().from(maintenanceSchedules).orderBy(maintenanceSchedules.orgId)
}

export function findScheduleById(db: Database, params: { orgId: string; id: string }) {
  return firstOrNull(
    db.select().from(maintenanceSchedules).where(idInOrg(maintenanceSchedules, params)),
  )
}

export async function createSchedule(
  db: Database,
  params: { orgId: string; fields: Partial<ScheduleFields> & Pick<ScheduleFields, 'name'> },
) {
  const [row] = await db
    .insert(maintenanceSchedules)
    .values({ ...params.fields, orgId: params.orgId })
    .returning()
  if (!row) throw new Error('schedule insert returned no row')
  return row
}

export function updateSchedule(
  db: Database,
  params: { orgId: string; id: string; patch: Partial<ScheduleFields> },
) {
  return updateInOrg(db, maintenanceSchedules, params)
}

export function deleteSchedule(db: Database, params: { orgId: string; id: string }) {
  return deleteInOrg(db, maintenanceSchedules, params)
}

export interface VehicleCounterRow {
  id: string
  orgId: string
  code: string
  type: string
  odometerOffsetKm: number
  engineHoursOffset: number
  fuelTankLitres: number | null
  /** From the rules engine's stored state on the committed stream; null before any point. */
  counters: VehicleCounters | null
}

/**
 * Vehicles with their counters (of one organization, or of the organizations given), optionally
 * only those ids or that type.
 */
export async function findVehicleCounters(
  db: Database,
  params: { orgIds: readonly string[]; vehicleIds?: readonly string[]; type?: string },
): Promise<VehicleCounterRow[]> {
  if (params.orgIds.length === 0) return []
  const rows = await db
    .select({
      id: vehicles.id,
      orgId: vehicles.orgId,
      code: vehicles.code,
      type: vehicles.type,
      odometerOffsetKm: vehicles.odometerOffsetKm,
      engineHoursOffset: vehicles.engineHoursOffset,
      fuelTankLitres: vehicles.fuelTankLitres,
      counters: sql<VehicleCounters | null>`${vehicleRuleState.state} -> 'counters'`,
    })
    .from(vehicles)
    .leftJoin(vehicleRuleState, eq(vehicleRuleState.vehicleId, vehicles.id))
    .where(
      and(
        inArray(vehicles.orgId, [...params.orgIds]),
        params.vehicleIds ? inArray(vehicles.id, [...params.vehicleIds]) : undefined,
        params.type ? eq(vehicles.type, params.type as never) : undefined,
      ),
    )
    .orderBy(vehicles.code)
  return rows.map((row) => ({
    ...row,
    counters:
      typeof row.counters === 'string'
        ? (JSON.parse(row.counters) as VehicleCounters)
        : (row.counters ?? null),
  }))
}

/** Per schedule and vehicle, its latest service (the interval restarts there). */
export async function findLastServices(db: Database, params: { scheduleIds: readonly string[] }) {
  if (params.scheduleIds.length === 0) return []
  const rows = await db
    .selectDistinctOn([maintenanceServices.scheduleId, maintenanceServices.vehicleId])
    .from(maintenanceServices)
    .where(inArray(maintenanceServices.scheduleId, [...params.scheduleIds]))
    .orderBy(
      maintenanceServices.scheduleId,
      maintenanceServices.vehicleId,
      desc(maintenanceServices.performedAt),
      desc(maintenanceServices.createdAt),
    )
  return rows
}

export async function insertService(db: Database, row: typeof maintenanceServices.$inferInsert) {
  const [created] = await db.insert(maintenanceServices).values(row).returning()
  if (!created) throw new Error('service insert returned no row')
  return created
}

/** The service book of the organization (or one vehicle) over [from, to), newest first. */
export function listServices(
  db: Database,
  params: { orgId: string; vehicleId?: string | undefined; from?: Date; to?: Date; limit: number },
) {
  return db
    .select({
      id: maintenanceServices.id,
      vehicleId: maintenanceServices.vehicleId,
      vehicleCode: vehicles.code,
      scheduleId: maintenanceServices.scheduleId,
      scheduleName: maintenanceSchedules.name,
      performedAt: maintenanceServices.performedAt,
      odometerKm: maintenanceServices.odometerKm,
      engineHours: maintenanceServices.engineHours,
      cost: maintenanceServices.cost,
      notes: maintenanceServices.notes,
      createdAt: maintenanceServices.createdAt,
    })
    .from(maintenanceServices)
    .innerJoin(vehicles, eq(vehicles.id, maintenanceServices.vehicleId))
    .leftJoin(maintenanceSchedules, eq(maintenanceSchedules.id, maintenanceServices.scheduleId))
    .where(
      and(
        eq(maintenanceServices.orgId, params.orgId),
        params.vehicleId ? eq(maintenanceServices.vehicleId, params.vehicleId) : undefined,
        params.from ? gte(maintenanceServices.performedAt, params.from) : undefined,
        params.to ? lt(maintenanceServices.performedAt, params.to) : undefined,
      ),
    )
    .orderBy(desc(maintenanceServices.performedAt), desc(maintenanceServices.id))
    .limit(params.limit)
}

export function listPurchases(
  db: Database,
  params: { orgId: string; vehicleId?: string | undefined; from: Date; to: Date; limit: number },
) {
  return db
    .select({
      id: fuelPurchases.id,
      vehicleId: fuelPurchases.vehicleId,
      vehicleCode: vehicles.code,
      fuelTankLitres: vehicles.fuelTankLitres,
      time: fuelPurchases.time,
      litres: fuelPurchases.litres,
      price: fuelPurchases.price,
      station: fuelPurchases.station,
      notes: fuelPurchases.notes,
      createdAt: fuelPurchases.createdAt,
    })
    .from(fuelPurchases)
    .innerJoin(vehicles, eq(vehicles.id, fuelPurchases.vehicleId))
    .where(
      and(
        eq(fuelPurchases.orgId, params.orgId),
        params.vehicleId ? eq(fuelPurchases.vehicleId, params.vehicleId) : undefined,
        gte(fuelPurchases.time, params.from),
        lt(fuelPurchases.time, params.to),
      ),
    )
    .orderBy(desc(fuelPurchases.time), desc(fuelPurchases.id))
    .limit(params.limit)
}

export async function insertPurchase(db: Database, row: typeof fuelPurchases.$inferInsert) {
  const [created] = await db.insert(fuelPurchases).values(row).returning()
  if (!created) throw new Error('purchase insert returned no row')
  return created
}

export function deletePurchase(db: Database, params: { orgId: string; id: string }) {
  return firstOrNull(
    db
      .delete(fuelPurchases)
      .where(and(eq(fuelPurchases.id, params.id), eq(fuelPurchases.orgId, params.orgId)))
      .returning(),
  )
}
