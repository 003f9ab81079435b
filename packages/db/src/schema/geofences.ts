import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './organizations.ts'

export type GeofenceShapeRow =
  | { type: 'circle'; lat: number; lon: number; radiusM: number }
  | { type: 'polygon'; points: [number, number][] }

/** Areas whose entry and exit the rules watch: a circle or a polygon, per organization. */
export const geofences = pgTable(
  'geofences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    shape: jsonb('shape').$type<GeofenceShapeRow>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('geofences_org_created_idx').on(t.orgId, t.createdAt)],
)

export type GeofenceRow = typeof geofences.$inferSelect
