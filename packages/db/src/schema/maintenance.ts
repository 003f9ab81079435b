import { doublePrecision, index, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './organizations.ts'
import { users } from './users.ts'
import { vehicles } from './vehicles.ts'

/**
 * A service plan: every N km, N engine hours and/or N days (whichever comes first), for one
 * vehicle or for every vehicle of a type. Each interval counts from the vehicle's last service of
 * this schedule (from zero, or the schedule's creation for days, before the first).
 */
export const maintenanceSchedules = pgTable(
  'maintenance_schedules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** Set: this vehicle only. Null: every vehicle of `vehicleType`. */
    vehicleId: uuid('vehicle_id').references(() => vehicles.id, { onDelete: 'cascade' }),
    vehicleType: text('vehicle_type'),
    name: text('name').notNull(),
    everyKm: doublePrecision('every_km'),
    everyHours: doublePrecision('every_hours'),
    everyDays: doublePrecision('every_days'),
    /** How early "due soon" starts, in each interval's unit. */
    warnKm: doublePrecision('warn_km'),
    warnHours: doublePrecision('warn_hours'),
    warnDays: doublePrecision('warn_days'),
    notes: text('notes'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('maintenance_schedules_org_idx').on(t.orgId, t.createdAt)],
)

/** The service book: what was done to a vehicle, when, at which odometer and engine hours. */
export const maintenanceServices = pgTable(
  'maintenance_services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    vehicleId: uuid('vehicle_id')
      .notNull()
      .references(() => vehicles.id, { onDelete: 'cascade' }),
    /** The schedule it completes (its interval restarts here); null: an unplanned service. */
    scheduleId: uuid('schedule_id').references(() => maintenanceSchedules.id, {
      onDelete: 'set null',
    }),
    performedAt: timestamp('performed_at', { withTimezone: true, precision: 3 }).notNull(),
    odometerKm: doublePrecision('odometer_km'),
    engineHours: doublePrecision('engine_hours'),
    cost: real('cost'),
    notes: text('notes'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('maintenance_services_vehicle_idx').on(t.vehicleId, t.performedAt),
    index('maintenance_services_org_idx').on(t.orgId, t.performedAt),
  ],
)

/** Fuel bought (receipts), reconciled against the refuels the tank level shows. */
export const fuelPurchases = pgTable(
  'fuel_purchases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    vehicleId: uuid('vehicle_id')
      .notNull()
      .references(() => vehicles.id, { onDelete: 'cascade' }),
    time: timestamp('time', { withTimezone: true, precision: 3 }).notNull(),
    litres: real('litres').notNull(),
    /** What was paid in total, in the organization's currency. */
    price: real('price'),
    station: text('station'),
    notes: text('notes'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('fuel_purchases_org_time_idx').on(t.orgId, t.time),
    index('fuel_purchases_vehicle_time_idx').on(t.vehicleId, t.time),
  ],
)

export type MaintenanceSchedule = typeof maintenanceSchedules.$inferSelect
export type MaintenanceService = typeof maintenanceServices.$inferSelect
export type FuelPurchase = typeof fuelPurchases.$inferSelect
