import { and, eq, ilike, or, type SQL } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { type Vehicle, vehicles } from '../schema/index.ts'
import {
  containsPattern,
  keysetCondition,
  orderByKeyset,
  type PageParams,
  toPage,
} from './pagination.ts'

export type VehicleSort = 'createdAt' | 'code' | 'vin'
export type VehicleFields = Omit<Vehicle, 'id' | 'orgId' | 'createdAt' | 'updatedAt'>

const SORT_COLUMNS = { createdAt: vehicles.createdAt, code: vehicles.code, vin: vehicles.vin }

export async function listVehicles(db: Database, params: PageParams<VehicleSort>) {
  const column = SORT_COLUMNS[params.sort]
  const pattern = params.search ? containsPattern(params.search) : undefined
  const conditions: (SQL | undefined)[] = [
    eq(vehicles.orgId, params.orgId),
    pattern
      ? or(
          ilike(vehicles.code, pattern),
          ilike(vehicles.vin, pattern),
          ilike(vehicles.plate, pattern),
          ilike(vehicles.manufacturer, pattern),
          ilike(vehicles.model, pattern),
        )
      : undefined,
    keysetCondition(column, vehicles.id, params.order, params.cursor),
  ]
  const rows = await db
    .select()
    .from(vehicles)
    .where(and(...conditions))
    .orderBy(...orderByKeyset(column, vehicles.id, params.order))
    .limit(params.limit + 1)
  return toPage(rows, params.limit, (row) => row[params.sort])
}

/** Ids and codes of the organization's vehicles by code, at most `limit`. */
export function findVehicleRefs(db: Database, params: { orgId: string; limit: number }) {
  return db
    .select({ id: vehicles.id, code: vehicles.code })
    .from(vehicles)
    .where(eq(vehicles.orgId, params.orgId))
    .orderBy(vehicles.code, vehicles.id)
    .limit(params.limit)
}

export async function findVehicleById(db: Database, params: { orgId: string; id: string }) {
  const [row] = await db
    .select()
    .from(vehicles)
    .where(and(eq(vehicles.id, params.id), eq(vehicles.orgId, params.orgId)))
  return row ?? null
}

export async function createVehicle(
  db: Database,
  params: { orgId: string; fields: Partial<VehicleFields> & Pick<VehicleFields, 'code' | 'vin'> },
) {
  const [row] = await db
    .insert(vehicles)
    .values({ ...params.fields, orgId: params.orgId })
    .returning()
  if (!row) throw new Error('vehicle insert returned no row')
  return row
}

export async function updateVehicle(
  db: Database,
  params: { orgId: string; id: string; patch: Partial<VehicleFields> },
) {
  const [row] = await db
    .update(vehicles)
    .set({ ...params.patch, updatedAt: new Date() })
    .where(and(eq(vehicles.id, params.id), eq(vehicles.orgId, params.orgId)))
    .returning()
  return row ?? null
}

export async function deleteVehicle(db: Database, params: { orgId: string; id: string }) {
  const [row] = await db
    .delete(vehicles)
    .where(and(eq(vehicles.id, params.id), eq(vehicles.orgId, params.orgId)))
    .returning()
  return row ?? null
}
