import {
  boolean,
  doublePrecision,
  index,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'

/**
 * One row per device point. No foreign keys: this is the ingestion hot path, and the writer only
 * stores rows for devices it resolved from a valid token. On TimescaleDB it is a hypertable on
 * `time` (migration 0001); on plain PostgreSQL a regular table with the same indexes.
 */
export const telemetry = pgTable(
  'telemetry',
  {
    time: timestamp('time', { withTimezone: true, precision: 3 }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 3 })
      .notNull()
      .defaultNow(),
    orgId: uuid('org_id').notNull(),
    deviceId: uuid('device_id').notNull(),
    vehicleId: uuid('vehicle_id'),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    speed: real('speed'),
    heading: real('heading'),
    altitude: real('altitude'),
    rpm: real('rpm'),
    fuel: real('fuel'),
    engineLoad: real('engine_load'),
    coolantTemp: real('coolant_temp'),
    odometer: doublePrecision('odometer'),
    ignition: boolean('ignition'),
    status: text('status'),
    swVersion: text('sw_version'),
    hwVersion: text('hw_version'),
    /** Anything else a device reports (battery, accuracy, protocol extras), as sent. */
    attributes: jsonb('attributes').$type<Record<string, string | number | boolean | null>>(),
  },
  (t) => [
    uniqueIndex('telemetry_device_time_key').on(t.deviceId, t.time),
    // Every vehicle query is scoped by organization too: with both columns leading, the planner
    // can't prefer the org-wide index and filter a whole fleet's rows down to one vehicle.
    index('telemetry_org_vehicle_time_idx').on(t.orgId, t.vehicleId, t.time.desc().nullsFirst()),
    index('telemetry_org_time_idx').on(t.orgId, t.time.desc()),
  ],
)

export type TelemetryRow = typeof telemetry.$inferSelect
