import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import { reconnectBackoff } from '../client.ts'
import type { CommittedBatches } from './committed.ts'
import { copyBinaryHeader, copyBinaryTrailer, encodeCopyBinaryRows } from './copy-binary.ts'
import {
  encodeOutboxRows,
  OUTBOX_INSERT_SQL,
  OUTBOX_SOURCE_COLUMNS,
  outboxInsertSql,
} from './outbox.ts'
import {
  encodeJsonRows,
  pointKey,
  spanVehicles,
  TELEMETRY_COLUMNS,
  TELEMETRY_RECORD_TYPES,
  type TelemetryInsert,
} from './rows.ts'
import { WriterUnavailableError } from './writer.ts'

/** Where the writer puts a batch: the fast path and the duplicate-tolerant path. */
export interface TelemetrySink {
  /**
   * The fast path, where the database has one: stores every row or none (one statement).
   * Rejects with a unique violation when any point already exists; the writer then redoes the
   * batch through `insertNew`.
   */
  copy?: (rows: readonly TelemetryInsert[]) => Promise<void>
  /** Stores the rows that are new; returns the keys (`pointKey`) of the rows it inserted. */
  insertNew(rows: readonly TelemetryInsert[]): Promise<Set<string>>
  /** Resolves when the database answers. */
  ping(): Promise<void>
  close(): Promise<void>
}

const COLUMN_LIST = TELEMETRY_COLUMNS.join(', ')
const INPUT_RECORDSET = `json_to_recordset($1::text::json) as r(${TELEMETRY_RECORD_TYPES})`

export interface SinkOptions {
  /**
   * Also add each committed row with a vehicle to `rule_outbox`, in the same transaction, for the
   * rules engine (off when alerts are off: nothing would drain it).
   */
  hasRuleOutbox?: boolean
  /**
   * With the outbox: keeps each batch stored whole here, by its transaction, so the rules engine
   * on this node need not read its points back.
   */
  committed?: CommittedBatches | undefined
}

/**
 * The duplicate-tolerant insert, and in the same statement, with `hasRuleOutbox`, the rules
 * engine's outbox rows for the rows it inserted (the rules engine folds the activity buckets from
 * them, `foldActivity`), or else the activity invalidation marks (see `activity_dirty`) for every
 * row of the batch (duplicates too: marking more is only more work) for the refresher.
 */
function buildInsertNewSql(
  options: SinkOptions,
  input = `select * from ${INPUT_RECORDSET}`,
): string {
  const returned = ['device_id', ...OUTBOX_SOURCE_COLUMNS.filter((c) => c !== 'device_id')]
  return (
    `with input as (${input}), ` +
    `inserted as (insert into telemetry (${COLUMN_LIST}) select ${COLUMN_LIST} from input ` +
    `on conflict (device_id, time) do nothing returning ${[...new Set(returned)].join(', ')}), ` +
    // With the outbox, the rules engine folds the activity buckets from it: no marks.
    (options.hasRuleOutbox
      ? `outbox as (${outboxInsertSql('inserted')}) `
      : 'spans as (select org_id, vehicle_id, (extract(epoch from min(time)) * 1000)::bigint as lo, ' +
        '(extract(epoch from max(time)) * 1000)::bigint as hi from input ' +
        'where vehicle_id is not null group by org_id, vehicle_id), ' +
        'marks as (insert into activity_dirty (org_id, spans) ' +
        'select org_id, jsonb_agg(jsonb_build_array(vehicle_id, lo, hi)) from spans group by org_id) ') +
    'select device_id, (extract(epoch from time) * 1000)::bigint as ms from inserted'
  )
}
/**
 * The staging table a connection COPYs a batch into when the outbox is on: one per session
 * (temporary), emptied before each batch.
 */
const STAGE_SQL =
  'create temp table if not exists telemetry_stage (like telemetry including defaults); ' +
  'truncate telemetry_stage'
/** The COPY path's marks, inserted (committed) before the COPY: see `activity_dirty`. */
const MARK_SQL =
  'insert into activity_dirty (org_id, spans) ' +
  'select org_id, spans from json_to_recordset($1::text::json) as r(org_id uuid, spans jsonb)'
/** The current transaction's id, null outside one (autocommit). */
const XID_IF_ASSIGNED_SQL = 'select txid_current_if_assigned()::text as xid'
/**
 * COMMIT, then whether transaction `xid` committed, as one simple-protocol message (it can take
 * no parameters: `xid` is the database's own answer, checked to be digits). Should the connection
 * have been replaced since the batch began, the COMMIT finds no transaction and the status tells.
 */
function commitAndStatusSql(xid: string): string {
  if (!/^\d+$/.test(xid)) throw new Error(`Not a transaction id: ${xid}`)
  return `commit; select txid_status(${xid}) as status`
}
/**
 * For the writer's fixed statements: prepared once per connection, then each run is one round
 * trip (postgres.js otherwise parses and describes an unsafe() statement with parameters every
 * time before it binds it).
 */
const PREPARED = { prepare: true } as const
/** Rows per `write()` on the COPY stream: large writes keep the protocol overhead low. */
const COPY_CHUNK_ROWS = 2000

/** An error a statement answered with, its session still alive (not FATAL, not the network). */
function isStatementError(error: unknown): boolean {
  return (error as { severity?: unknown } | null)?.severity === 'ERROR'
}

function keysOf(rows: readonly { device_id: string; ms: string | number | bigint }[]): Set<string> {
  return new Set(rows.map((row) => pointKey(row.device_id, Number(row.ms))))
}

/**
 * PostgreSQL through postgres.js on its own small pool, so bulk writes never wait behind API
 * queries (and the other way round). COPY straight into `telemetry` is the fast path.
 */
export function createPostgresSink(
  url: string,
  options: SinkOptions & { connections?: number } = {},
): TelemetrySink {
  const insertNewSql = buildInsertNewSql(options)
  const insertStagedSql = buildInsertNewSql(options, `select ${COLUMN_LIST} from telemetry_stage`)
  // One single-connection client per concurrent batch: a COPY never shares its connection, so
  // postgres.js can't pipeline another query onto it. The outage probe has its own, too.
  const clients = Array.from({ length: options.connections ?? 2 }, () =>
    postgres(url, {
      max: 1,
      connect_timeout: 5,
      idle_timeout: 60,
      backoff: reconnectBackoff,
      onnotice: () => {},
      // The writer sends no arrays; and a connection killed during that startup query made
      // postgres.js throw where nothing could catch it (writer-outbox-faults.test.ts).
      fetch_types: false,
      connection: { application_name: 'fms-writer', statement_timeout: 30_000 },
    }),
  )
  const free = [...clients]
  const waiting: ((client: postgres.Sql) => void)[] = []
  const probe = postgres(url, { max: 1, connect_timeout: 2, idle_timeout: 10, onnotice: () => {} })

  async function withClient<T>(run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
    const sql = free.pop() ?? (await new Promise<postgres.Sql>((resolve) => waiting.push(resolve)))
    try {
      return await run(sql)
    } finally {
      const next = waiting.shift()
      if (next) next(sql)
      else free.push(sql)
    }
  }

  async function ping() {
    await probe`select 1`
  }
  async function close() {
    await Promise.all([...clients.map((c) => c.end({ timeout: 5 })), probe.end({ timeout: 1 })])
  }

  /** A plain binary COPY of the rows into `table` (no transaction around it: see below). */
  /** A binary COPY of the rows into `table`; `begin` opens a transaction in the same message. */
  async function copyInto(
    sql: postgres.Sql,
    table: string,
    rows: readonly TelemetryInsert[],
    options: { begin?: boolean } = {},
  ) {
    const copy = `copy ${table} (${COLUMN_LIST}) from stdin with (format binary)`
    const stream = await sql.unsafe(options.begin ? `begin; ${copy}` : copy).writable()
    async function* chunks() {
      yield copyBinaryHeader()
      for (let from = 0; from < rows.length; from += COPY_CHUNK_ROWS) {
        yield encodeCopyBinaryRows(rows, from, Math.min(rows.length, from + COPY_CHUNK_ROWS))
      }
      yield copyBinaryTrailer()
    }
    await pipeline(Readable.from(chunks()), stream)
  }

  async function currentXid(
    sql: postgres.Sql,
    query: string,
    params?: string[],
  ): Promise<string | null> {
    const [row] = await (params
      ? sql.unsafe<{ xid: string | null }[]>(query, params, PREPARED)
      : sql.unsafe<{ xid: string | null }[]>(query))
    return row?.xid ?? null
  }

  /** The batch's activity marks, committed before its points: see `activity_dirty`. */
  async function markSpans(sql: postgres.Sql, rows: readonly TelemetryInsert[]) {
    const marks = spanVehicles(rows)
    if (marks.length > 0) await sql.unsafe(MARK_SQL, [JSON.stringify(marks)], PREPARED)
  }

  if (options.hasRuleOutbox) {
    return {
      // The outbox rows must commit with the points. The fast path: one
      // transaction with a plain binary COPY into `telemetry` and the batch's outbox rows (a batch
      // with a duplicate fails whole and is redone through `insertNew`). The transaction is sent
      // as plain statements on this batch's own single connection, not `sql.begin()`: with the
      // connection cut mid-COPY, `sql.begin()` could hang the writer (the PostgreSQL-stop and
      // connection-cut tests caught it). postgres.js reconnects by itself between statements, so
      // BEGIN travels with the COPY, and the transaction is then named by its id: the outbox
      // insert only writes inside it, and the batch counts as stored only when the database
      // reports that transaction committed.
      copy: (rows) =>
        withClient(async (sql) => {
          const outbox = encodeOutboxRows(rows)
          let xid: string | null = null
          let status: string | null = null
          try {
            // BEGIN and the COPY in one message: the COPY never runs outside the transaction.
            await copyInto(sql, 'telemetry', rows, { begin: true })
            // The outbox rows and the transaction's id in one round trip.
            xid =
              outbox === null
                ? await currentXid(sql, XID_IF_ASSIGNED_SQL)
                : await currentXid(sql, OUTBOX_INSERT_SQL, [outbox])
            // None: this is a connection that replaced the COPY's, whose transaction is gone.
            if (xid === null) {
              throw new WriterUnavailableError('database_down', 'The connection was lost mid-batch')
            }
            // Kept before the commit, so the rules engine finds it as soon as the outbox row is
            // visible; a batch that does not commit is never asked for and ages out.
            options.committed?.add(Number(xid), rows)
            // The commit and the check that it was this batch's transaction that committed, in
            // one message: the points reach subscribers one round trip sooner.
            const [, statusRows] = await sql.unsafe<[[], { status: string | null }[]]>(
              commitAndStatusSql(xid),
            )
            status = statusRows?.[0]?.status ?? null
          } catch (error) {
            // A statement's error leaves the transaction open and aborted: roll it back. With the
            // connection gone the transaction is gone too, and a statement sent now could wait on
            // the dead connection for good (writer-outbox-faults.test.ts caught it).
            if (isStatementError(error)) await sql.unsafe('rollback').catch(() => {})
            throw error
          }
          if (status !== 'committed') {
            throw new WriterUnavailableError('database_down', 'The batch was not committed')
          }
        }),
      // Duplicate-tolerant: each batch is COPYed into the session's staging table, then one
      // statement moves the new rows into `telemetry` and writes their marks and outbox rows
      // (atomic without a transaction, and at COPY speed, not JSON's).
      insertNew: (rows) =>
        withClient(async (sql) => {
          await sql.unsafe(STAGE_SQL)
          await copyInto(sql, 'telemetry_stage', rows)
          return keysOf(await sql.unsafe<{ device_id: string; ms: string }[]>(insertStagedSql))
        }),
      ping,
      close,
    }
  }
  return {
    // The batch's activity marks first, committed on their own: a mark whose COPY fails changes
    // nothing; the refresher keeps marks until no COPY could still commit. Then a plain COPY
    // straight into `telemetry`; a batch with a duplicate is redone through `insertNew`.
    copy: (rows) =>
      withClient(async (sql) => {
        await markSpans(sql, rows)
        await copyInto(sql, 'telemetry', rows)
      }),
    insertNew: (rows) =>
      withClient(async (sql) => {
        const inserted = await sql.unsafe<{ device_id: string; ms: string }[]>(insertNewSql, [
          encodeJsonRows(rows),
        ])
        return keysOf(inserted)
      }),
    ping,
    close,
  }
}

/** The embedded database: one set-based insert per batch (PGlite has no COPY FROM STDIN). */
export function createPgliteSink(pglite: PGlite, options: SinkOptions = {}): TelemetrySink {
  const insertNewSql = buildInsertNewSql(options)
  return {
    async insertNew(rows) {
      const result = await pglite.query<{ device_id: string; ms: string | number }>(insertNewSql, [
        encodeJsonRows(rows),
      ])
      return keysOf(result.rows)
    },
    async ping() {
      await pglite.query('select 1')
    },
    async close() {},
  }
}
