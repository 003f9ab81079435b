import { and, eq } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { type Device, devices } from '../schema/index.ts'
import { deleteInOrg, firstOrNull, idInOrg, pageInOrg, searchAny, updateInOrg } from './org-rows.ts'
import type { PageParams } from './pagination.ts'

export type DeviceSort = 'createdAt' | 'updatedAt'
export type DeviceFields = Omit<Device, 'id' | 'orgId' | 'createdAt' | 'updatedAt'>

export interface DeviceFilters {
  vehicleId?: string | undefined
  tokenId?: string | undefined
}

export async function listDevices(db: Database, params: PageParams<DeviceSort> & DeviceFilters) {
  const column = params.sort === 'updatedAt' ? devices.updatedAt : devices.createdAt
  return pageInOrg(db.select().from(devices).$dynamic(), {
    table: devices,
    column,
    params,
    filters: [
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

export async function findDeviceById(db: Database, params: { orgId: string; id: string }) {
  return firstOrNull(db.select().from(devices).where(idInOrg(devices, params)))
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
