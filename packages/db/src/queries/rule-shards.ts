import { and, asc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import {
  clusterNodes,
  type OutboxSpan,
  ruleOutbox,
  shardLeases,
  telemetry,
  vehicleRuleState,
} from '../schema/index.ts'
import type { CommittedBatches } from '../telemetry/committed.ts'
import { newOutboxPoint, OUTBOX_READING_COLUMNS, type OutboxPoint } from '../telemetry/outbox.ts'
import { readNumber, rowsOf } from './rows.ts'

/** A shard this node holds, and the epoch that fences its writes. */
export interface ShardLease {
  shard: number
  epoch: number
}

const inMs = (ms: number) => sql`now() + ${`${Math.round(ms)} milliseconds`}::interval`
const agoMs = (ms: number) => sql`now() - ${`${Math.round(ms)} milliseconds`}::interval`

/** Records the node's heartbeat; answers how many nodes beat within `ttlMs` (this one included). */
export async function beatNode(db: Database, params: { nodeId: string; ttlMs: number }) {
  await db
    .insert(clusterNodes)
    .values({ nodeId: params.nodeId, seenAt: sql`now()` })
    .onConflictDoUpdate({ target: clusterNodes.nodeId, set: { seenAt: sql`now()` } })
  // Nodes gone for a while are forgotten, so the table stays as small as the cluster.
  await db.delete(clusterNodes).where(lte(clusterNodes.seenAt, agoMs(params.ttlMs * 20)))
  const [row] = await db
    .select({ nodes: sql<number>`count(*)::int` })
    .from(clusterNodes)
    .where(gt(clusterNodes.seenAt, agoMs(params.ttlMs)))
  return Math.max(1, row?.nodes ?? 1)
}

export async function forgetNode(db: Database, nodeId: string) {
  await db.delete(clusterNodes).where(eq(clusterNodes.nodeId, nodeId))
}

/** Extends the leases the node still holds (same epoch, not yet expired); answers them. */
export async function renewLeases(
  db: Database,
  params: { nodeId: string; ttlMs: number },
): Promise<ShardLease[]> {
  return db
    .update(shardLeases)
    .set({ expiresAt: inMs(params.ttlMs) })
    .where(and(eq(shardLeases.owner, params.nodeId), gt(shardLeases.expiresAt, sql`now()`)))
    .returning({ shard: shardLeases.shard, epoch: shardLeases.epoch })
}

/**
 * Takes up to `count` shards that nobody holds or whose lease ran out, each with a new epoch.
 * Rows another node is locking (taking them, or fencing a write) are skipped.
 */
export async function claimLeases(
  db: Database,
  params: { nodeId: string; ttlMs: number; count: number },
): Promise<ShardLease[]> {
  if (params.count <= 0) return []
  const free = db
    .select({ shard: shardLeases.shard })
    .from(shardLeases)
    .where(or(isNull(shardLeases.owner), lte(shardLeases.expiresAt, sql`now()`)))
    .orderBy(asc(shardLeases.shard))
    .limit(params.count)
    .for('update', { skipLocked: true })
  return db
    .update(shardLeases)
    .set({
      owner: params.nodeId,
      epoch: sql`${shardLeases.epoch} + 1`,
      expiresAt: inMs(params.ttlMs),
    })
    .where(inArray(shardLeases.shard, free))
    .returning({ shard: shardLeases.shard, epoch: shardLeases.epoch })
}

/** Gives shards back at once (shutdown, rebalancing), so another node need not wait for expiry. */
export async function releaseLeases(db: Database, params: { nodeId: string; shards: number[] }) {
  if (params.shards.length === 0) return
  await db
    .update(shardLeases)
    .set({ owner: null, expiresAt: null })
    .where(and(eq(shardLeases.owner, params.nodeId), inArray(shardLeases.shard, params.shards)))
}

/**
 * Inside a write's transaction: locks the lease rows of these shards and answers the shards this
 * node still holds with the given epoch. Commit work only for those; a new owner can't take the
 * rows meanwhile. Rows are locked in shard order, as every writer does.
 */
export async function holdLeases(
  tx: Database,
  params: { nodeId: string; leases: readonly ShardLease[] },
): Promise<Set<number>> {
  if (params.leases.length === 0) return new Set()
  const pairs = JSON.stringify(params.leases.map(({ shard, epoch }) => ({ shard, epoch })))
  const result = await tx.execute(sql`
    select l.shard::int as shard from ${shardLeases} l
    join json_to_recordset(${pairs}::text::json) as w(shard smallint, epoch bigint)
      on w.shard = l.shard and w.epoch = l.epoch
    where l.owner = ${params.nodeId} and l.expires_at > now()
    order by l.shard
    for update of l`)
  return new Set(rowsOf<{ shard: number }>(result).map((row) => Number(row.shard)))
}

export interface OutboxRow {
  id: number
  shard: number
  points: OutboxPoint[]
}

/**
 * Which of these shards have outbox rows: one index probe per shard in one statement, so an
 * idle node's pass costs one cheap query however many shards it holds.
 */
export async function findShardsWithRows(db: Database, shards: readonly number[]) {
  if (shards.length === 0) return []
  const list = shards.map((shard) => Math.trunc(shard)).join(',')
  const result = await db.execute(
    sql`select s::int as shard from unnest(array[${sql.raw(list)}]::smallint[]) s where exists (select 1 from ${ruleOutbox} o where o.shard = s)`,
  )
  return rowsOf<{ shard: number }>(result).map((row) => Number(row.shard))
}

/**
 * Each shard's oldest outbox rows (at most `limit` a shard), in shard and id order, with their
 * points: read back from `telemetry` by the transaction and spans each row names (one query for
 * all of them), or carried by rows written before migration 0009. Two queries for any number of
 * shards.
 */
export async function readOutbox(
  db: Database,
  params: {
    shards: readonly number[]
    limit: number
    /** Batches this node committed: spans found there are not read back. */
    committed?: CommittedBatches | undefined
  },
): Promise<OutboxRow[]> {
  if (params.shards.length === 0) return []
  const list = params.shards.map((shard) => Math.trunc(shard)).join(',')
  const result = await db.execute(sql`
    select o.id, o.shard::int as shard, o.xid, o.spans, o.points
    from unnest(array[${sql.raw(list)}]::smallint[]) s
    cross join lateral (
      select r.id, r.shard, r.xid, r.spans::text as spans, r.points from ${ruleOutbox} r
      where r.shard = s order by r.id limit ${Math.max(1, Math.trunc(params.limit))}
    ) o
    order by o.shard, o.id`)
  const rows = rowsOf<{
    id: string | number
    shard: number
    xid: string | number | null
    spans: string | null
    points: string | null
  }>(result).map((row) => ({
    id: Number(row.id),
    shard: Number(row.shard),
    xid: readNumber(row.xid),
    spans: row.spans === null ? null : (JSON.parse(row.spans) as OutboxSpan[]),
    points: row.points,
  }))
  const byId = await readReferencedPoints(db, rows, params.committed)
  return rows.map((row) => ({
    id: row.id,
    shard: row.shard,
    points:
      row.points === null ? (byId.get(row.id) ?? []) : (JSON.parse(row.points) as OutboxPoint[]),
  }))
}

const READING_SELECT = OUTBOX_READING_COLUMNS.map(({ column }) => `t.${column}`).join(', ')

/**
 * The points each referencing outbox row names, per outbox row id, each in time order: from the
 * batches this node committed where they are kept, the rest read back from `telemetry`.
 */
async function readReferencedPoints(
  db: Database,
  rows: readonly { id: number; xid: number | null; spans: OutboxSpan[] | null }[],
  committed: CommittedBatches | undefined,
): Promise<Map<number, OutboxPoint[]>> {
  const byId = new Map<number, OutboxPoint[]>()
  const spans: { id: number; xid: number; v: string; o: string; lo: number; hi: number }[] = []
  for (const row of rows) {
    if (row.xid === null || row.spans === null) continue
    let kept: OutboxPoint[] | undefined
    for (const span of row.spans) {
      const points = committed?.take(row.xid, span)
      if (points === undefined) {
        const [v, o, lo, hi] = span
        spans.push({ id: row.id, xid: row.xid, v, o, lo, hi })
      } else if (kept === undefined) kept = points
      else for (const point of points) kept.push(point)
    }
    if (kept !== undefined) byId.set(row.id, kept)
  }
  // Rows answered (even in part) from memory are put in the order the read back answers in.
  const fromMemory = [...byId.values()]
  if (spans.length > 0) await readBack(db, spans, byId)
  for (const points of fromMemory) points.sort(byTimeThenVehicle)
  return byId
}

function byTimeThenVehicle(a: OutboxPoint, b: OutboxPoint): number {
  if (a.time !== b.time) return a.time - b.time
  return a.vehicleId < b.vehicleId ? -1 : a.vehicleId > b.vehicleId ? 1 : 0
}

/** Reads the spans' points back from `telemetry` into `byId`. */
async function readBack(
  db: Database,
  spans: readonly { id: number; xid: number; v: string; o: string; lo: number; hi: number }[],
  byId: Map<number, OutboxPoint[]>,
): Promise<void> {
  // A millisecond of slack either side of each span: the transaction id is what selects.
  const result = await db.execute(sql`
    select s.id, t.org_id, t.vehicle_id, (extract(epoch from t.time) * 1000)::bigint as ms,
      ${sql.raw(READING_SELECT)}
    from json_to_recordset(${JSON.stringify(spans)}::text::json)
      as s(id bigint, xid bigint, v uuid, o uuid, lo bigint, hi bigint)
    join ${telemetry} t on t.org_id = s.o and t.vehicle_id = s.v
      and t.time >= to_timestamp((s.lo - 1) / 1000.0) and t.time <= to_timestamp((s.hi + 1) / 1000.0)
      and t.ingest_xid = s.xid
    order by s.id, t.time, t.vehicle_id`)
  for (const row of rowsOf<Record<string, unknown>>(result)) {
    const point: Record<string, unknown> = newOutboxPoint()
    point.orgId = row.org_id
    point.vehicleId = row.vehicle_id
    point.time = Number(row.ms)
    for (const { name, column } of OUTBOX_READING_COLUMNS) {
      const value = row[column]
      if (value !== null && value !== undefined) point[name] = value
    }
    const id = Number(row.id)
    const list = byId.get(id)
    if (list) list.push(point as OutboxPoint)
    else byId.set(id, [point as OutboxPoint])
  }
}

/** Deletes the consumed rows; answers how many it deleted. */
export async function deleteOutboxRows(tx: Database, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0
  const list = ids.map((id) => Math.trunc(id)).join(',')
  const result = await tx.execute(
    sql`with deleted as (delete from ${ruleOutbox} where id = any(array[${sql.raw(list)}]::bigint[]) returning 1)
      select count(*)::int as count from deleted`,
  )
  return Number(rowsOf<{ count: number }>(result)[0]?.count ?? 0)
}

/**
 * Inside a transaction: the server ends this session if it sits idle in the transaction longer
 * than `ms` (its client died without closing the connection), releasing its locks.
 */
export async function limitIdleInTransaction(tx: Database, ms: number) {
  await tx.execute(
    sql`select set_config('idle_in_transaction_session_timeout', ${String(Math.round(ms))}, true)`,
  )
}

/** Per shard with a backlog: rows waiting and the age of the oldest, in seconds. */
export async function findOutboxBacklog(db: Database, shards: readonly number[]) {
  if (shards.length === 0) return []
  return db
    .select({
      shard: ruleOutbox.shard,
      rows: sql<number>`count(*)::int`,
      oldestSec: sql<number>`extract(epoch from now() - min(${ruleOutbox.createdAt}))::float8`,
    })
    .from(ruleOutbox)
    .where(inArray(ruleOutbox.shard, [...shards]))
    .groupBy(ruleOutbox.shard)
}

export interface RuleStateRow {
  vehicleId: string
  orgId: string
  shard: number
  state: unknown
  /** The vehicle's activity fold (null: none yet). */
  activity: unknown
}

export async function findRuleStates(db: Database, shard: number): Promise<RuleStateRow[]> {
  return db
    .select({
      vehicleId: vehicleRuleState.vehicleId,
      orgId: vehicleRuleState.orgId,
      shard: vehicleRuleState.shard,
      state: vehicleRuleState.state,
      activity: vehicleRuleState.activity,
    })
    .from(vehicleRuleState)
    .where(eq(vehicleRuleState.shard, shard))
}

export async function saveRuleStates(tx: Database, rows: readonly RuleStateRow[]) {
  if (rows.length === 0) return
  await tx
    .insert(vehicleRuleState)
    .values(rows.map((row) => ({ ...row, updatedAt: sql`now()` })))
    .onConflictDoUpdate({
      target: vehicleRuleState.vehicleId,
      set: { state: sql`excluded.state`, activity: sql`excluded.activity`, updatedAt: sql`now()` },
    })
}
