import { READING_NAMES, READINGS, type ReadingName, type ReadingType } from '@fms/engine'
import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  jsonb,
  type PgBooleanBuilderInitial,
  type PgDoublePrecisionBuilderInitial,
  type PgRealBuilderInitial,
  type PgTextBuilderInitial,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'

/** The Drizzle column builder of a reading type, named for its column. */
type ReadingColumn<T extends ReadingType, Name extends string> = {
  float8: PgDoublePrecisionBuilderInitial<Name>
  float4: PgRealBuilderInitial<Name>
  boolean: PgBooleanBuilderInitial<Name>
  text: PgTextBuilderInitial<Name, [string, ...string[]]>
}[T]

type ReadingColumns = {
  [K in ReadingName]: ReadingColumn<(typeof READINGS)[K]['type'], (typeof READINGS)[K]['column']>
}

const COLUMN_BUILDERS: Record<ReadingType, (name: string) => unknown> = {
  float8: doublePrecision,
  float4: real,
  boolean,
  text,
}

/** One nullable column per entry of READINGS, in its order. */
function readingColumns(): ReadingColumns {
  const columns: Record<string, unknown> = {}
  for (const name of READING_NAMES) {
    const { column, type } = READINGS[name]
    columns[name] = COLUMN_BUILDERS[type](column)
  }
  return columns as ReadingColumns
}

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
    ...readingColumns(),
    /** Anything else a device reports (battery, protocol extras), as sent. */
    attributes: jsonb('attributes').$type<Record<string, string | number | boolean | null>>(),
    /**
     * The id of the transaction that stored the row (filled by its default, never sent): a
     * `rule_outbox` row names its batch by it, so the rules engine reads back exactly that
     * batch's points. Null on rows stored before migration 0009.
     */
    ingestXid: bigint('ingest_xid', { mode: 'number' }).default(sql`txid_current()`),
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
