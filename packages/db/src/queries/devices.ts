import { and, eq, ilike, or, type SQL } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { type Device, devices } from '../schema/index.ts'
import {
  containsPattern,
  keysetCondition,
  orderByKeyset,
  type PageParams,
  toPage,
} from './pagination.ts'

export type DeviceSort = 'createdAt' | 'updatedAt'
export type DeviceFields = Omit<Device, 'id' | 'orgId' | 'createdAt' | 'updatedAt'>

export interface DeviceFilters {
  vehicleId?: string | undefined
  tokenId?: string | undefined
}

export async function listDevices(db: Database, params: PageParams<DeviceSort> & DeviceFilters) {
  const column = params.sort === 'updatedAt' ? devices.updatedAt : devices.createdAt
  const pattern = params.search ? containsPattern(params.search) : undefined
  const conditions: (SQL | undefined)[] = [
    eq(devices.orgId, params.orgId),
    params.vehicleId ? eq(devices.vehicleId, params.vehicleId) : undefined,
    params.tokenId ? eq(devices.tokenId, params.tokenId) : undefined,
    pattern
      ? or(
          ilike(devices.externalId, pattern),
          ilike(devices.macAddress, pattern),
          ilike(devices.model, pattern),
          ilike(devices.note, pattern),
        )
      : undefined,
    keysetCondition(column, devices.id, params.order, params.cursor),
  ]
  const rows = await db
    .select()
    .from(devices)
    .where(and(...conditions))
    .orderBy(...orderByKeyset(column, devices.id, params.order))
    .limit(params.limit + 1)
  return toPage(rows, params.limit, (row) => row[params.sort])
}

export async function findDeviceById(db: Database, params: { orgId: string; id: string }) {
  const [row] = await db
    .select()
    .from(devices)
    .where(and(eq(devices.id, params.id), eq(devices.orgId, params.orgId)))
  return row ?? null
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
  const [row] = await db
    .update(devices)
    .set({ ...params.patch, updatedAt: new Date() })
    .where(and(eq(devices.id, params.id), eq(devices.orgId, params.orgId)))
    .returning()
  return row ?? null
}

export async function deleteDevice(db: Database, params: { orgId: string; id: string }) {
  const [row] = await db
    .delete(devices)
    .where(and(eq(devices.id, params.id), eq(devices.orgId, params.orgId)))
    .returning()
  return row ?? null
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
