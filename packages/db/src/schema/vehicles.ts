import {
  doublePrecision,
  index,
  integer,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { organizations } from './organizations.ts'

export const VEHICLE_STATUSES = ['active', 'inactive', 'maintenance', 'retired'] as const
export const VEHICLE_TYPES = ['car', 'van', 'truck', 'bus', 'motorcycle', 'other'] as const

export const vehicles = pgTable(
  'vehicles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    vin: text('vin').notNull(),
    plate: text('plate'),
    manufacturer: text('manufacturer'),
    model: text('model'),
    makeYear: integer('make_year'),
    status: text('status', { enum: VEHICLE_STATUSES }).notNull().default('active'),
    type: text('type', { enum: VEHICLE_TYPES }).notNull().default('car'),
    color: text('color'),
    description: text('description'),
    /** Added to the odometer (the device's, or the distance counted): matches the dashboard. */
    odometerOffsetKm: doublePrecision('odometer_offset_km').notNull().default(0),
    /** Added to the engine-on time counted: the hours the engine had before tracking. */
    engineHoursOffset: doublePrecision('engine_hours_offset').notNull().default(0),
    /** Turns fuel percentages into litres (refuels, consumption); null: litres unknown. */
    fuelTankLitres: real('fuel_tank_litres'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('vehicles_org_code_key').on(t.orgId, t.code),
    uniqueIndex('vehicles_org_vin_key').on(t.orgId, t.vin),
    index('vehicles_org_created_idx').on(t.orgId, t.createdAt),
  ],
)

export type Vehicle = typeof vehicles.$inferSelect
