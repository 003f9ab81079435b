import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from './client.ts'
import { createDb } from './client.ts'
import { uniqueViolation } from './errors.ts'
import { sql } from './index.ts'
import { createOrganization } from './queries/organizations.ts'
import { telemetry } from './schema/index.ts'
import { createTestDb, testDbKind } from './testing.ts'

let handle: DbHandle

beforeAll(async () => {
  handle = await createTestDb()
})
afterAll(async () => {
  await handle?.close()
})

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await handle.db.execute(query)) as unknown as T[] | { rows: T[] }
  return Array.isArray(result) ? result : result.rows
}

describe(`database client (${testDbKind()})`, () => {
  it('applies every migration and creates the tables', async () => {
    const tables = await rows<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    )
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        'api_tokens',
        'devices',
        'organizations',
        'refresh_tokens',
        'telemetry',
        'users',
        'vehicles',
      ]),
    )
  })

  it('re-applying migrations is a no-op', async () => {
    await handle.migrate()
    await expect(handle.ping()).resolves.toBeUndefined()
  })

  it('makes telemetry a hypertable only where TimescaleDB exists', async () => {
    const available = await rows<{ n: number }>(
      sql`select count(*)::int as n from pg_available_extensions where name = 'timescaledb'`,
    )
    const hasTimescale = available[0]?.n === 1
    expect(hasTimescale).toBe(handle.kind === 'pglite')
    if (hasTimescale) {
      const hypertables = await rows<{ hypertable_name: string; compression_enabled: boolean }>(
        sql`select hypertable_name, compression_enabled from timescaledb_information.hypertables`,
      )
      expect(hypertables).toEqual([{ hypertable_name: 'telemetry', compression_enabled: true }])
      const jobs = await rows<{ proc_name: string }>(
        sql`select proc_name from timescaledb_information.jobs where hypertable_name = 'telemetry' order by 1`,
      )
      expect(jobs.map((j) => j.proc_name)).toEqual(['policy_compression', 'policy_retention'])
    } else {
      const kind = await rows<{ relkind: string }>(
        sql`select relkind from pg_class where relname = 'telemetry'`,
      )
      expect(kind[0]?.relkind).toBe('r')
    }
  })

  it('stores one point per device and time', async () => {
    const org = await createOrganization(handle.db, { name: 'Acme' })
    const point = {
      time: new Date('2026-01-01T00:00:00.123Z'),
      orgId: org.id,
      deviceId: crypto.randomUUID(),
      lat: 1.5,
      lon: 2.5,
    }
    await handle.db.insert(telemetry).values(point)
    const error = await handle.db
      .insert(telemetry)
      .values(point)
      .then(() => null)
      .catch((e: unknown) => e)
    // On a hypertable the violated index is the chunk's copy: `_hyper_1_1_chunk_telemetry_device_time_key`.
    expect(uniqueViolation(error)).toMatch(/telemetry_device_time_key$/)
  })
})

describe(`concurrent start (${testDbKind()})`, () => {
  it('lets several nodes migrate the same database at once', async () => {
    if (handle.kind !== 'postgres') {
      // The embedded database belongs to one process; nothing else can migrate it.
      expect(handle.kind).toBe('pglite')
      return
    }
    const scratch = await createTestDb('postgres')
    try {
      const nodes = await Promise.all([1, 2, 3].map(() => createDb({ url: scratch.url })))
      await Promise.all(nodes.map((node) => node.migrate()))
      await Promise.all(nodes.map((node) => node.close()))
    } finally {
      await scratch.close()
    }
  })
})
