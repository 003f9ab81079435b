import {
  bigserial,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'

/** Width of one activity bucket. Every modern UTC offset is a multiple of it, so local days align. */
export const ACTIVITY_BUCKET_MS = 15 * 60_000

/**
 * Per-vehicle activity in 15-minute buckets: what the daily summaries add up. Every quantity is
 * the bucket's share of the stretches between consecutive points (split by time at the edges), so
 * any run of whole buckets sums to the same figures the raw points give. A bucket that adds
 * nothing (no point, no distance, no time, no fuel change) has no row. Maintained by the activity
 * refresher from `activity_dirty`; no foreign keys, like `telemetry`, so a deleted vehicle can't
 * wedge the refresher.
 */
export const vehicleActivity = pgTable(
  'vehicle_activity',
  {
    orgId: uuid('org_id').notNull(),
    vehicleId: uuid('vehicle_id').notNull(),
    bucket: timestamp('bucket', { withTimezone: true, precision: 3 }).notNull(),
    pointCount: integer('point_count').notNull(),
    distanceKm: doublePrecision('distance_km').notNull(),
    movingDistanceKm: doublePrecision('moving_distance_km').notNull(),
    drivingSec: doublePrecision('driving_sec').notNull(),
    idleSec: doublePrecision('idle_sec').notNull(),
    maxSpeed: real('max_speed'),
    /** Null: no fuel reading spans this bucket. */
    fuelUsedPct: doublePrecision('fuel_used_pct'),
    refuelledPct: doublePrecision('refuelled_pct').notNull(),
    refuelCount: integer('refuel_count').notNull(),
    tripCount: integer('trip_count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.vehicleId, t.bucket] }),
    index('vehicle_activity_org_bucket_idx').on(t.orgId, t.bucket),
  ],
)

/** One vehicle's new points in a batch: [vehicle id, first time, last time] (epoch ms). */
export type ActivitySpan = [vehicleId: string, fromMs: number, toMs: number]

/**
 * The invalidation log: before each telemetry batch is stored, one row per organization listing
 * each vehicle's time span of the batch (one row, not one per vehicle, so a batch from thousands
 * of vehicles costs one insert). The refresher recomputes the buckets those spans touch. A mark
 * younger than any write could take (`MARK_SETTLE_MS`) is kept (`processed_at`) and handled once
 * more when it has settled, so points committed just after a refresh read their mark are not
 * missed; a failed batch only leaves a mark that changes nothing. A crash anywhere loses nothing.
 */
export const activityDirty = pgTable(
  'activity_dirty',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: uuid('org_id').notNull(),
    spans: jsonb('spans').$type<ActivitySpan[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Set when a refresh handled the mark before it settled: it is read once more after. */
    processedAt: timestamp('processed_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [index('activity_dirty_org_idx').on(t.orgId, t.id)],
)

export type VehicleActivityRow = typeof vehicleActivity.$inferSelect
