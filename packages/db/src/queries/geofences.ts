import { eq } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { type GeofenceShapeRow, geofences } from '../schema/index.ts'
import { deleteInOrg, firstOrNull, idInOrg, pageInOrg, searchAny, updateInOrg } from './org-rows.ts'
import type { PageParams } from './pagination.ts'

export async function listGeofences(db: Database, params: PageParams<'createdAt' | 'name'>) {
  const column = params.sort === 'name' ? geofences.name : geofences.createdAt
  return pageInOrg(db.select().from(geofences).$dynamic(), {
    table: geofences,
    column,
    params,
    filters: [searchAny(params.search, [geofences.name])],
    sortValue: (row) => row[params.sort],
  })
}

/** Every geofence of the organization, for the rules engine. */
export function findAllGeofences(db: Database, orgId: string) {
  return db.select().from(geofences).where(eq(geofences.orgId, orgId))
}

export async function findGeofenceById(db: Database, params: { orgId: string; id: string }) {
  return firstOrNull(db.select().from(geofences).where(idInOrg(geofences, params)))
}

export async function createGeofence(
  db: Database,
  params: { orgId: string; name: string; shape: GeofenceShapeRow },
) {
  const [row] = await db.insert(geofences).values(params).returning()
  if (!row) throw new Error('geofence insert returned no row')
  return row
}

export async function updateGeofence(
  db: Database,
  params: { orgId: string; id: string; patch: { name?: string; shape?: GeofenceShapeRow } },
) {
  return updateInOrg(db, geofences, params)
}

export async function deleteGeofence(db: Database, params: { orgId: string; id: string }) {
  return deleteInOrg(db, geofences, params)
}
