import { and, eq } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { type Device, devices } from '../schema/index.ts'
import { deleteInOrg, firstOrNull, idInOrg, pageInOrg, searchAny, updateInOrg } from './org-rows.ts'
import type { PageParams } from './pagination.ts'
import { inVehicleScope, type VehicleScope } from './vehicle-scope.ts'

export type DeviceSort = 'createdAt' | 'updatedAt'
export type DeviceFields = Omit<Device, 'id' | 'orgId' | 'createdAt' | 'updatedAt'>

export interface DeviceFilters {
  vehicleId?: string | undefined
  tokenId?: string | undefined
}

/** A page of the devices of the vehicles the scope sees (a device on no vehicle: whole org only). */
export async function listDevices(
  db: Database,
  params: PageParams<DeviceSort> & DeviceFilters & { scope: VehicleScope },
) {
  const column = params.sort === 'updatedAt' ? devices.updatedAt : devices.createdAt
  return pageInOrg(db.select().from(devices).$dynamic(), {
    table: devices,
    column,
    params: { ...params, orgId: params.scope.orgId },
    filters: [
      inVehicleScope(devices.vehicleId, params.scope),
      params.vehicleId ? eq(devices.vehicleId, params.vehicleId) : undefined,
      params.tokenId ? eq(devices.tokenId, params.tokenId) : undefined,
      searchAny(params.search, [
        devices.externalId,
        devices.macAddress,
        devices.model,
        devices.note,
      ]),
    ],
    sortValue: (row) => row[params.sort],
  })
}

export async function findDeviceById(db: Database, params: { scope: VehicleScope; id: string }) {
  const { scope, id } = params
  return firstOrNull(
    db
      .select()
      .from(devices)
      .where(
        and(idInOrg(devices, { orgId: scope.orgId, id }), inVehicleScope(devices.vehicleId, scope)),
      ),
  )
}

export async function createDevice(
  db: Database,
  params: { orgId: string; fields: Partial<DeviceFields> },
) {
  const [row] = await db
    .insert(devices)
    .values({ ...params.fields, orgId: params.orgId })
    .returning()
  if (!row) throw new Error('device insert returned no row')
  return row
}

export async function updateDevice(
  db: Database,
  params: { orgId: string; id: string; patch: Partial<DeviceFields> },
) {
  return updateInOrg(db, devices, params)
}

export async function deleteDevice(db: Database, params: { orgId: string; id: string }) {
  return deleteInOrg(db, devices, params)
}

/** The devices a device token may post for, with the vehicle each is fitted to now. */
export async function findDevicesByToken(db: Database, params: { orgId: string; tokenId: string }) {
  return db
    .select({
      id: devices.id,
      externalId: devices.externalId,
      vehicleId: devices.vehicleId,
      status: devices.status,
    })
    .from(devices)
    .where(and(eq(devices.orgId, params.orgId), eq(devices.tokenId, params.tokenId)))
}
