import { and, eq, ilike, type SQL } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { type GeofenceShapeRow, geofences } from '../schema/index.ts'
import {
  containsPattern,
  keysetCondition,
  orderByKeyset,
  type PageParams,
  toPage,
} from './pagination.ts'

export async function listGeofences(db: Database, params: PageParams<'createdAt' | 'name'>) {
  const column = params.sort === 'name' ? geofences.name : geofences.createdAt
  const conditions: (SQL | undefined)[] = [
    eq(geofences.orgId, params.orgId),
    params.search ? ilike(geofences.name, containsPattern(params.search)) : undefined,
    keysetCondition(column, geofences.id, params.order, params.cursor),
  ]
  const rows = await db
    .select()
    .from(geofences)
    .where(and(...conditions))
    .orderBy(...orderByKeyset(column, geofences.id, params.order))
    .limit(params.limit + 1)
  return toPage(rows, params.limit, (row) => row[params.sort])
}

/** Every geofence of the organization, for the rules engine. */
export function findAllGeofences(db: Database, orgId: string) {
  return db.select().from(geofences).where(eq(geofences.orgId, orgId))
}

export async function findGeofenceById(db: Database, params: { orgId: string; id: string }) {
  const [row] = await db
    .select()
    .from(geofences)
    .where(and(eq(geofences.id, params.id), eq(geofences.orgId, params.orgId)))
  return row ?? null
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
  const [row] = await db
    .update(geofences)
    .set({ ...params.patch, updatedAt: new Date() })
    .where(and(eq(geofences.id, params.id), eq(geofences.orgId, params.orgId)))
    .returning()
  return row ?? null
}

export async function deleteGeofence(db: Database, params: { orgId: string; id: string }) {
  const [row] = await db
    .delete(geofences)
    .where(and(eq(geofences.id, params.id), eq(geofences.orgId, params.orgId)))
    .returning()
  return row ?? null
}
