import { fixedShape, READINGS, RULE_READING_NAMES, type RulePointInput } from '@fms/engine'
import { type OutboxSpan, shardOfVehicle, shardOfVehicleSql } from '../schema/rule-shards.ts'
import type { TelemetryInsert } from './rows.ts'

/** A committed point as the rules engine receives it from `rule_outbox`. */
export type OutboxPoint = RulePointInput & { orgId: string; vehicleId: string }

/** The columns `outboxInsertSql` reads from its source: a `returning` list or a recordset's. */
export const OUTBOX_SOURCE_COLUMNS: readonly string[] = ['time', 'org_id', 'vehicle_id']

/**
 * Adds a reference to the rows of `source` (a CTE or a table expression with
 * OUTBOX_SOURCE_COLUMNS) that have a vehicle to `rule_outbox`: one row per shard, naming this
 * transaction and each vehicle's first and last time. Must run in the statement that stores
 * those rows, whose `ingest_xid` is this transaction: the outbox names exactly what was committed.
 */
export function outboxInsertSql(source: string): string {
  const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::bigint`
  return (
    'insert into rule_outbox (shard, xid, spans) ' +
    `select ${shardOfVehicleSql('v.vehicle_id')}, txid_current(), ` +
    'jsonb_agg(jsonb_build_array(v.vehicle_id, v.org_id, v.lo, v.hi)) ' +
    `from (select s.vehicle_id, s.org_id, ${ms('min(s.time)')} as lo, ${ms('max(s.time)')} as hi ` +
    `from ${source} s where s.vehicle_id is not null group by s.vehicle_id, s.org_id) v group by 1`
  )
}

/**
 * The outbox rows of a batch stored whole (the COPY path), built here as `OUTBOX_INSERT_SQL`'s
 * JSON parameter: per shard, each vehicle's span `[vehicleId, orgId, first ms, last ms]`, as
 * `outboxInsertSql` would build them. Null when no row has a vehicle (nothing to insert).
 */
export function encodeOutboxRows(rows: readonly TelemetryInsert[]): string | null {
  const byVehicle = new Map<string, OutboxSpan>()
  for (const row of rows) {
    if (row.vehicleId === null) continue
    const span = byVehicle.get(row.vehicleId)
    if (!span) byVehicle.set(row.vehicleId, [row.vehicleId, row.orgId, row.time, row.time])
    else {
      if (row.time < span[2]) span[2] = row.time
      if (row.time > span[3]) span[3] = row.time
    }
  }
  const byShard = new Map<number, OutboxSpan[]>()
  for (const span of byVehicle.values()) {
    const shard = shardOfVehicle(span[0])
    const list = byShard.get(shard)
    if (list) list.push(span)
    else byShard.set(shard, [span])
  }
  if (byShard.size === 0) return null
  return JSON.stringify([...byShard].map(([shard, spans]) => ({ shard, spans })))
}

/**
 * Inserts the outbox rows given as one JSON parameter ($1: `encodeOutboxRows`) for the current
 * transaction, and answers its id (`xid`, text): one round trip for both. Only inside a
 * transaction that already wrote (the batch's COPY): a statement that ends up on a connection
 * that replaced the COPY's finds no transaction id, inserts nothing and answers a null `xid`.
 * One statement text for every batch, so PostgreSQL prepares it once per connection.
 */
export const OUTBOX_INSERT_SQL =
  'with inserted as (insert into rule_outbox (shard, xid, spans) ' +
  'select v.shard, txid_current_if_assigned(), v.spans ' +
  'from json_to_recordset($1::text::json) as v(shard smallint, spans jsonb) ' +
  'where txid_current_if_assigned() is not null returning 1) ' +
  'select txid_current_if_assigned()::text as xid, (select count(*) from inserted) as inserted_rows'

/** The rule readings' columns, for reading a batch's points back from `telemetry`. */
export const OUTBOX_READING_COLUMNS = RULE_READING_NAMES.map((name) => ({
  name,
  column: READINGS[name].column,
  type: READINGS[name].type,
}))

/** A blank OutboxPoint with every key in place (one fixed shape for all of them). */
export const newOutboxPoint = fixedShape([
  'orgId',
  'vehicleId',
  'time',
  ...OUTBOX_READING_COLUMNS.map(({ name }) => name),
])
