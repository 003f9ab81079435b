import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { timescaledb } from '@electric-sql/pglite/timescaledb'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as schema from './schema/index.ts'

export type Schema = typeof schema
/** The one database type the rest of the code sees: a connection or a transaction, either driver. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../drizzle')
export const DEFAULT_DATA_DIR = './.data/pglite'
/** Advisory lock key held while migrating. */
const MIGRATION_LOCK_ID = 7_236_851_033

export interface DbOptions {
  /** postgres:// URL. Unset: the embedded PGlite (with TimescaleDB) under `dataDir`. */
  url?: string | undefined
  /** Embedded data folder, or `memory://` for a throwaway in-memory database. */
  dataDir?: string | undefined
  /** Pool size for postgres.js. */
  maxConnections?: number | undefined
  /** Per-statement timeout on PostgreSQL, so no query waits forever. */
  statementTimeoutMs?: number | undefined
}

export interface DbHandle {
  db: Database
  kind: 'postgres' | 'pglite'
  /** postgres.js client (PostgreSQL only): COPY and LISTEN need the raw driver. */
  sql: postgres.Sql | undefined
  /** PGlite instance (embedded only). */
  pglite: PGlite | undefined
  /** Applies committed migrations (idempotent). */
  migrate(): Promise<void>
  /** Resolves when a trivial query succeeds; rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export async function createDb(options: DbOptions = {}): Promise<DbHandle> {
  if (options.url) return createPostgresDb(options.url, options)
  return createPgliteDb(options.dataDir ?? DEFAULT_DATA_DIR)
}

/**
 * Seconds before postgres.js tries a lost connection again: short and capped, so service comes
 * back within about a second of the database (the driver's default grows to 20 s).
 */
export function reconnectBackoff(attempt: number): number {
  return Math.min(0.05 * 2 ** attempt, 1)
}

function createPostgresDb(url: string, options: DbOptions): DbHandle {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('DATABASE_URL must be a postgres:// or postgresql:// URL')
  }
  const client = postgres(url, {
    max: options.maxConnections ?? 10,
    connect_timeout: 5,
    idle_timeout: 30,
    backoff: reconnectBackoff,
    onnotice: () => {},
    connection: {
      application_name: 'fms',
      statement_timeout: options.statementTimeoutMs ?? 30_000,
    },
  })
  const db = drizzlePostgres(client, { schema }) as unknown as Database
  return {
    db,
    kind: 'postgres',
    sql: client,
    pglite: undefined,
    // Several nodes may start at once: one migrates while holding the lock, the others wait for
    // it and then find nothing to do.
    migrate: async () => {
      await client.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`
        await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_FOLDER })
      })
    },
    ping: async (timeoutMs = 2000) => {
      await withTimeout(client`select 1`.execute(), timeoutMs)
    },
    close: () => client.end({ timeout: 5 }),
  }
}

async function createPgliteDb(dataDir: string): Promise<DbHandle> {
  const isMemory = dataDir.startsWith('memory://')
  if (!isMemory) mkdirSync(dataDir, { recursive: true })
  const client = await PGlite.create({
    ...(isMemory ? {} : { dataDir }),
    extensions: { timescaledb },
  })
  const db = drizzlePglite(client, { schema }) as unknown as Database
  return {
    db,
    kind: 'pglite',
    sql: undefined,
    pglite: client,
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: async (timeoutMs = 2000) => {
      await withTimeout(db.execute(sql`select 1`), timeoutMs)
    },
    close: () => client.close(),
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
