import { boolean, index, integer, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { geofences } from './geofences.ts'
import { organizations } from './organizations.ts'
import { vehicles } from './vehicles.ts'

/** Alert rules of an organization; a rule naming a vehicle overrides the org-wide one of its kind. */
export const rules = pgTable(
  'rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    threshold: real('threshold'),
    durationSec: integer('duration_sec'),
    vehicleId: uuid('vehicle_id').references(() => vehicles.id, { onDelete: 'cascade' }),
    geofenceId: uuid('geofence_id').references(() => geofences.id, { onDelete: 'cascade' }),
    isEnabled: boolean('is_enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('rules_org_idx').on(t.orgId, t.createdAt)],
)

export type RuleRow = typeof rules.$inferSelect
