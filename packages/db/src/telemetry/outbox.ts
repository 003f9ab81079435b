import { READINGS, RULE_READING_NAMES, type RulePointInput } from '@fms/engine'
import { shardOfVehicleSql } from '../schema/rule-shards.ts'

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
