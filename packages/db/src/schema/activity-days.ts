import {
  doublePrecision,
  integer,
  pgTable,
  primaryKey,
  real,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'

/**
 * Per-vehicle activity of one whole local day: the sums of the day's 15-minute buckets
 * (`vehicle_activity`), so a month's daily report reads 30 rows per vehicle instead of ~2,900.
 * A local day in any time zone is a whole number of buckets (DST days of 23 or 25 hours too), so
 * a day is keyed by its UTC start and end instants, not by its date: the same date in two zones
 * is two rows. Filled lazily by the reports that ask for a day that has ended; deleted in the same
 * transaction as any rewrite of buckets that overlap it (`replaceActivity`), so a row always
 * equals the sum of its buckets. No foreign keys, like `vehicle_activity`.
 */
export const vehicleActivityDays = pgTable(
  'vehicle_activity_days',
  {
    orgId: uuid('org_id').notNull(),
    vehicleId: uuid('vehicle_id').notNull(),
    dayStart: timestamp('day_start', { withTimezone: true, precision: 3 }).notNull(),
    dayEnd: timestamp('day_end', { withTimezone: true, precision: 3 }).notNull(),
    pointCount: integer('point_count').notNull(),
    distanceKm: doublePrecision('distance_km').notNull(),
    movingDistanceKm: doublePrecision('moving_distance_km').notNull(),
    drivingSec: doublePrecision('driving_sec').notNull(),
    idleSec: doublePrecision('idle_sec').notNull(),
    maxSpeed: real('max_speed'),
    /** Null: no fuel reading spans the day. */
    fuelUsedPct: doublePrecision('fuel_used_pct'),
    refuelledPct: doublePrecision('refuelled_pct').notNull(),
    refuelCount: integer('refuel_count').notNull(),
    tripCount: integer('trip_count').notNull(),
  },
  // Reads name vehicles and day starts; invalidation names a vehicle and a time range.
  (t) => [primaryKey({ columns: [t.vehicleId, t.dayStart, t.dayEnd] })],
)
