import { READINGS, RULE_READING_NAMES, type RulePointInput } from '@fms/engine'
import { shardOfVehicleSql } from '../schema/rule-shards.ts'
import type { TelemetryInsert } from './rows.ts'

/** A committed point as the rules engine receives it from `rule_outbox`. */
export type OutboxPoint = RulePointInput & { orgId: string; vehicleId: string }

/** `jsonb_build_object` of an OutboxPoint from a telemetry row under `alias` (absent readings left out). */
function outboxPointSql(alias: string): string {
  const readings = RULE_READING_NAMES.map((name) => `'${name}', ${alias}.${READINGS[name].column}`)
  return (
    `jsonb_strip_nulls(jsonb_build_object('orgId', ${alias}.org_id, 'vehicleId', ${alias}.vehicle_id, ` +
    `'time', (extract(epoch from ${alias}.time) * 1000)::bigint, ${readings.join(', ')}))`
  )
}

/**
 * The columns `outboxInsertSql` reads from its source: a `returning` list or a recordset's.
 */
export const OUTBOX_SOURCE_COLUMNS: readonly string[] = [
  'time',
  'org_id',
  'vehicle_id',
  ...RULE_READING_NAMES.map((name) => READINGS[name].column),
]

/**
 * Adds the rows of `source` (a CTE or a table expression with OUTBOX_SOURCE_COLUMNS) that have a
 * vehicle to `rule_outbox`, one row per shard with its points in time order. Must run in the
 * statement or transaction that stores those rows: the outbox holds exactly what was committed.
 */
export function outboxInsertSql(source: string): string {
  return (
    'insert into rule_outbox (shard, points) ' +
    `select ${shardOfVehicleSql('s.vehicle_id')}, jsonb_agg(${outboxPointSql('s')} order by s.time) ` +
    `from ${source} s where s.vehicle_id is not null group by 1`
  )
}

const OUTBOX_READINGS = RULE_READING_NAMES.map((name) => ({
  name,
  column: READINGS[name].column,
  type: READINGS[name].type,
}))

/**
 * `outboxInsertSql` over a batch sent as JSON (`$1`: `encodeOutboxSource`), for a batch stored
 * whole by COPY in transaction `$2` (its `txid_current()`): the same SQL builds the points, so they
 * carry exactly the stored (e.g. `real`) values, as on the path that reads back inserted rows.
 * Run anywhere but in that transaction (a connection replaced mid-batch), it inserts nothing; with
 * `$2` null it inserts in any transaction.
 */
export const OUTBOX_FROM_JSON_SQL = outboxInsertSql(
  `(select to_timestamp(time / 1000.0) as time, org_id, vehicle_id, ${OUTBOX_READINGS.map((r) => r.column).join(', ')} ` +
    `from json_to_recordset($1::text::json) as r(time bigint, org_id uuid, vehicle_id uuid, ` +
    `${OUTBOX_READINGS.map((r) => `${r.column} ${r.type}`).join(', ')}) ` +
    'where $2::bigint is null or txid_current_if_assigned() = $2::bigint)',
)

/** The rows with a vehicle, only the columns the outbox reads, as `OUTBOX_FROM_JSON_SQL` input. */
export function encodeOutboxSource(rows: readonly TelemetryInsert[]): string | null {
  const records: Record<string, unknown>[] = []
  for (const row of rows) {
    if (row.vehicleId === null) continue
    const record: Record<string, unknown> = {
      time: row.time,
      org_id: row.orgId,
      vehicle_id: row.vehicleId,
    }
    for (const reading of OUTBOX_READINGS) record[reading.column] = row[reading.name] ?? null
    records.push(record)
  }
  return records.length === 0 ? null : JSON.stringify(records)
}
