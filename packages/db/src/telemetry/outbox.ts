import { READINGS, RULE_READING_NAMES, type RulePointInput } from '@fms/engine'
import { shardOfVehicle, shardOfVehicleSql } from '../schema/rule-shards.ts'
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
    `select ${shardOfVehicleSql('s.vehicle_id')}, jsonb_agg(${outboxPointSql('s')} order by s.time)::text ` +
    `from ${source} s where s.vehicle_id is not null group by 1`
  )
}

/**
 * The batch's outbox rows, built here for a batch stored whole (the COPY path): per shard its
 * points (rule readings present in the row) in time order, as `outboxInsertSql` would build them
 * from the stored rows. The rows' `real` readings must be as stored (ingestion gives them so:
 * `toStoredFloat4`), so the engine sees the numbers a reprocessing of stored rows would.
 */
export function encodeOutboxRows(
  rows: readonly TelemetryInsert[],
): { shard: number; points: string }[] {
  const byShard = new Map<number, TelemetryInsert[]>()
  for (const row of rows) {
    if (row.vehicleId === null) continue
    const shard = shardOfVehicle(row.vehicleId)
    const list = byShard.get(shard)
    if (list) list.push(row)
    else byShard.set(shard, [row])
  }
  const out: { shard: number; points: string }[] = []
  for (const [shard, list] of byShard) {
    list.sort((a, b) => a.time - b.time)
    let points = ''
    for (const row of list) {
      let point = `{"orgId":"${row.orgId}","vehicleId":"${row.vehicleId}","time":${row.time}`
      for (const name of RULE_READING_NAMES) {
        const value = row[name]
        if (value !== null && value !== undefined) point += `,"${name}":${JSON.stringify(value)}`
      }
      points += points === '' ? `${point}}` : `,${point}}`
    }
    out.push({ shard, points: `[${points}]` })
  }
  return out
}

/**
 * Inserts `count` outbox rows given as parameters ($1 shard, $2 points, $3 shard, …) when run in
 * the transaction whose id is the last parameter (or anywhere, when it is null): a statement that
 * ends up on a connection that replaced the transaction's inserts nothing.
 */
export function outboxValuesSql(count: number): string {
  const values = Array.from(
    { length: count },
    (_, i) => `($${2 * i + 1}::smallint, $${2 * i + 2}::text)`,
  )
  const xid = `$${2 * count + 1}::bigint`
  return (
    `insert into rule_outbox (shard, points) select shard, points from (values ${values.join(', ')}) ` +
    `as v(shard, points) where ${xid} is null or txid_current_if_assigned() = ${xid}`
  )
}
