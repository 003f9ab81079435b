import { index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './organizations.ts'
import { users } from './users.ts'
import { vehicles } from './vehicles.ts'

/**
 * A named set of an organization's vehicles (a depot, a customer, a shift). A vehicle may be in
 * several groups; a user limited to groups sees the vehicles of any of them (see `users.limitedToGroups`).
 */
export const vehicleGroups = pgTable(
  'vehicle_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('vehicle_groups_org_name_key').on(t.orgId, t.name)],
)

/** Which vehicles are in which groups (many to many). */
export const vehicleGroupMembers = pgTable(
  'vehicle_group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => vehicleGroups.id, { onDelete: 'cascade' }),
    vehicleId: uuid('vehicle_id')
      .notNull()
      .references(() => vehicles.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.vehicleId] }),
    index('vehicle_group_members_vehicle_idx').on(t.vehicleId),
  ],
)

/** The groups a limited user may see (only read while `users.limited_to_groups` is true). */
export const userVehicleGroups = pgTable(
  'user_vehicle_groups',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id')
      .notNull()
      .references(() => vehicleGroups.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.groupId] }),
    index('user_vehicle_groups_group_idx').on(t.groupId),
  ],
)

export type VehicleGroup = typeof vehicleGroups.$inferSelect
