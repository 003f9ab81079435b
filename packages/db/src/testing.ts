import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { createDb, type DbHandle } from './client.ts'

export type TestDbKind = 'postgres' | 'pglite'
/** A scratch database; `url` is its postgres:// URL on PostgreSQL. */
export type TestDbHandle = DbHandle & { url: string | undefined }

/** Which database the current test run uses: `FMS_TEST_DB=postgres|pglite` (vitest projects set it). */
export function testDbKind(): TestDbKind {
  return process.env.FMS_TEST_DB === 'pglite' ? 'pglite' : 'postgres'
}

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/**
 * A migrated scratch database of the kind this run tests: a uniquely named PostgreSQL database
 * (dropped on close) or an in-memory PGlite with TimescaleDB.
 */
export async function createTestDb(kind: TestDbKind = testDbKind()): Promise<TestDbHandle> {
  if (kind === 'pglite') {
    const handle = await createDb({ dataDir: 'memory://' })
    await handle.migrate()
    return { ...handle, url: undefined }
  }
  const name = `fms_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  const handle = await createDb({ url: url.toString(), maxConnections: 5 })
  await handle.migrate()
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close()
      const cleanup = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
      await cleanup.unsafe(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    },
  }
}
