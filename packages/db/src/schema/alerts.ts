import { index, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './organizations.ts'
import { rules } from './rules.ts'
import { users } from './users.ts'

/**
 * Alerts raised by the rules. `key` is the engine's deterministic episode key: live evaluation
 * and reprocessing upsert by it, so an episode is one row however often it is computed.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    vehicleId: uuid('vehicle_id').notNull(),
    ruleId: uuid('rule_id').references(() => rules.id, { onDelete: 'set null' }),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    time: timestamp('time', { withTimezone: true, precision: 3 }).notNull(),
    endTime: timestamp('end_time', { withTimezone: true, precision: 3 }),
    emittedAt: timestamp('emitted_at', { withTimezone: true, precision: 3 }).notNull(),
    value: real('value'),
    message: text('message').notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, precision: 3 }),
    acknowledgedBy: uuid('acknowledged_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('alerts_org_key_key').on(t.orgId, t.key),
    index('alerts_org_time_idx').on(t.orgId, t.time.desc()),
    index('alerts_vehicle_time_idx').on(t.vehicleId, t.time.desc()),
  ],
)

export type AlertRow = typeof alerts.$inferSelect
