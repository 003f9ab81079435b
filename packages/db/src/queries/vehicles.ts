import { and, eq, inArray } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { type Vehicle, vehicleGroupMembers, vehicles } from '../schema/index.ts'
import { deleteInOrg, firstOrNull, idInOrg, pageInOrg, searchAny, updateInOrg } from './org-rows.ts'
import type { PageParams } from './pagination.ts'
import { inVehicleScope, type VehicleScope } from './vehicle-scope.ts'

export type VehicleSort = 'createdAt' | 'code' | 'vin'
export type VehicleFields = Omit<Vehicle, 'id' | 'orgId' | 'createdAt' | 'updatedAt'>

const SORT_COLUMNS = { createdAt: vehicles.createdAt, code: vehicles.code, vin: vehicles.vin }

/** A page of the vehicles the scope sees, of group `groupId` only when given. */
export async function listVehicles(
  db: Database,
  params: PageParams<VehicleSort> & { scope: VehicleScope; groupId?: string | undefined },
) {
  const column = SORT_COLUMNS[params.sort]
  return pageInOrg(db.select().from(vehicles).$dynamic(), {
    table: vehicles,
    column,
    params: { ...params, orgId: params.scope.orgId },
    filters: [
      inVehicleScope(vehicles.id, params.scope),
      params.groupId
        ? inArray(
            vehicles.id,
            db
              .select({ id: vehicleGroupMembers.vehicleId })
              .from(vehicleGroupMembers)
              .where(eq(vehicleGroupMembers.groupId, params.groupId)),
          )
        : undefined,
      searchAny(params.search, [
        vehicles.code,
        vehicles.vin,
        vehicles.plate,
        vehicles.manufacturer,
        vehicles.model,
      ]),
    ],
    sortValue: (row) => row[params.sort],
  })
}

/** Ids, codes and tank sizes of the vehicles the scope sees, by code, at most `limit`. */
export function findVehicleRefs(db: Database, params: { scope: VehicleScope; limit: number }) {
  return db
    .select({ id: vehicles.id, code: vehicles.code, fuelTankLitres: vehicles.fuelTankLitres })
    .from(vehicles)
    .where(and(eq(vehicles.orgId, params.scope.orgId), inVehicleScope(vehicles.id, params.scope)))
    .orderBy(vehicles.code, vehicles.id)
    .limit(params.limit)
}

/** The tank sizes of the organization's vehicles among `vehicleIds`. */
export function findVehicleTanks(
  db: Database,
  params: { orgId: string; vehicleIds: readonly string[] },
) {
  return db
    .select({ id: vehicles.id, fuelTankLitres: vehicles.fuelTankLitres })
    .from(vehicles)
    .where(and(eq(vehicles.orgId, params.orgId), inArray(vehicles.id, [...params.vehicleIds])))
}

/** Which of `vehicleIds` are the organization's vehicles (to refuse the others). */
export async function findOrgVehicleIds(
  db: Database,
  params: { orgId: string; vehicleIds: readonly string[] },
): Promise<Set<string>> {
  if (params.vehicleIds.length === 0) return new Set()
  const rows = await db
    .select({ id: vehicles.id })
    .from(vehicles)
    .where(and(eq(vehicles.orgId, params.orgId), inArray(vehicles.id, [...params.vehicleIds])))
  return new Set(rows.map((row) => row.id))
}

/** Vehicle `id` if the scope sees it (a vehicle outside it is not found, like another org's). */
export async function findVehicleById(db: Database, params: { scope: VehicleScope; id: string }) {
  const { scope, id } = params
  return firstOrNull(
    db
      .select()
      .from(vehicles)
      .where(
        and(idInOrg(vehicles, { orgId: scope.orgId, id }), inVehicleScope(vehicles.id, scope)),
      ),
  )
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
  return updateInOrg(db, vehicles, params)
}

export async function deleteVehicle(db: Database, params: { orgId: string; id: string }) {
  return deleteInOrg(db, vehicles, params)
}
