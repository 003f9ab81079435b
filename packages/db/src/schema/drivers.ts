import { sql } from 'drizzle-orm'
import { date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './organizations.ts'
import { vehicles } from './vehicles.ts'

export const drivers = pgTable(
  'drivers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    employeeNumber: text('employee_number'),
    phone: text('phone'),
    licenceNumber: text('licence_number'),
    licenceExpiry: date('licence_expiry', { mode: 'string' }),
    /** What the device reports for this driver (RFID, iButton, `driverUniqueId`). */
    identifier: text('identifier'),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('drivers_org_identifier_key')
      .on(t.orgId, t.identifier)
      .where(sql`${t.identifier} is not null`),
    uniqueIndex('drivers_org_employee_number_key')
      .on(t.orgId, t.employeeNumber)
      .where(sql`${t.employeeNumber} is not null`),
    index('drivers_org_name_idx').on(t.orgId, t.name),
  ],
)

/**
 * Who drove a vehicle when: stints [from, to) that never overlap on one vehicle (kept so by the
 * engine's timeline plans, applied under the vehicle's row lock). `driver_id` null: an identifier
 * that no driver carries (an unknown driver, alerted). A removed driver's stints go with it.
 */
export const driverAssignments = pgTable(
  'driver_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    vehicleId: uuid('vehicle_id')
      .notNull()
      .references(() => vehicles.id, { onDelete: 'cascade' }),
    driverId: uuid('driver_id').references(() => drivers.id, { onDelete: 'cascade' }),
    /** The identifier that started the stint; null for a hand assignment. */
    identifier: text('identifier'),
    from: timestamp('from', { withTimezone: true, precision: 3 }).notNull(),
    to: timestamp('to', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('driver_assignments_vehicle_from_key').on(t.vehicleId, t.from),
    index('driver_assignments_driver_from_idx').on(t.driverId, t.from),
    index('driver_assignments_org_from_idx').on(t.orgId, t.from),
  ],
)

export type Driver = typeof drivers.$inferSelect
export type DriverAssignment = typeof driverAssignments.$inferSelect
