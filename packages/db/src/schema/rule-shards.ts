import {
  bigint,
  bigserial,
  index,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'

/** One vehicle's points in an outbox row's batch: `[vehicleId, orgId, first ms, last ms]`. */
export type OutboxSpan = [vehicleId: string, orgId: string, fromMs: number, toMs: number]

/**
 * How many partitions the committed stream is split into for the rules engine. Fixed: a vehicle's
 * shard is the low 6 bits of its id's last byte (`shardOfVehicle`, and the same in SQL), so every
 * node and the database agree without a table. Changing it needs an empty `rule_outbox`.
 */
export const RULE_SHARDS = 64

/**
 * The committed stream for the rules engine, partitioned by vehicle: every batch the writer
 * commits adds, in the same transaction, one row per shard it touched with that shard's new points
 * (rule readings only). The shard's owner processes rows in id order and deletes each in the
 * transaction that stores the alerts it produced, so a row is processed once in effect, and a row
 * whose id was taken before another's but committed after it is still processed (delete, not a
 * cursor). A backlog simply waits here.
 */
export const ruleOutbox = pgTable(
  'rule_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    shard: smallint('shard').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /**
     * The batch by reference: the transaction that stored it (`telemetry.ingest_xid`) and, per
     * vehicle of this shard, `[vehicleId, orgId, first ms, last ms]`. The rules engine reads the
     * batch's points back from `telemetry` (`readOutboxPoints`).
     */
    xid: bigint('xid', { mode: 'number' }),
    spans: jsonb('spans').$type<OutboxSpan[]>(),
    /** Rows written before migration 0009 carry their points instead: `OutboxPoint[]` as JSON. */
    points: text('points'),
  },
  (t) => [index('rule_outbox_shard_id_idx').on(t.shard, t.id)],
)

/**
 * One row per shard (all 64 created by the migration): which node owns it until when. `epoch`
 * grows with every change of owner and fences the owner's writes: a node that lost its lease can
 * no longer commit (see the worker). Times are the database's clock, never a node's.
 */
export const shardLeases = pgTable('shard_leases', {
  shard: smallint('shard').primaryKey(),
  owner: text('owner'),
  epoch: bigint('epoch', { mode: 'number' }).notNull().default(0),
  expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }),
})

/** The nodes that took part in the last seconds (their heartbeat), to share the shards fairly. */
export const clusterNodes = pgTable('cluster_nodes', {
  nodeId: text('node_id').primaryKey(),
  seenAt: timestamp('seen_at', { withTimezone: true, precision: 3 }).notNull(),
})

/**
 * The rules engine's state per vehicle (`VehicleState`, JSON), written by the shard owner in the
 * same transaction as the alerts it produced, so a restart or a take-over continues open episodes
 * instead of replaying hours of history; beside it, the vehicle's activity fold, written with the
 * activity buckets it changed. No foreign key, like `telemetry`.
 */
export const vehicleRuleState = pgTable(
  'vehicle_rule_state',
  {
    vehicleId: uuid('vehicle_id').primaryKey(),
    orgId: uuid('org_id').notNull(),
    shard: smallint('shard').notNull(),
    state: jsonb('state').notNull(),
    /**
     * The vehicle's activity fold (`ActivityFoldState`, JSON): the buckets it still folds, and
     * `ownedFrom`, the first bucket it writes (the refresher writes those before). Null: not
     * started (the next point starts it).
     */
    activity: jsonb('activity'),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('vehicle_rule_state_shard_idx').on(t.shard)],
)

/** The shard of a vehicle: the low 6 bits of its id's last byte (uniform for random UUIDs). */
export function shardOfVehicle(vehicleId: string): number {
  return Number.parseInt(vehicleId.slice(-2), 16) & (RULE_SHARDS - 1)
}

/** The same in SQL, for a uuid expression. */
export function shardOfVehicleSql(column: string): string {
  return `(get_byte(uuid_send(${column}), 15) & ${RULE_SHARDS - 1})`
}
