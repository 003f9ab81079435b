import { toStoredFloat4 } from '@fms/engine'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsOf } from '../queries/rows.ts'
import { createTestDb, type TestDbHandle, testDbKind } from '../testing.ts'

let handle: TestDbHandle
beforeAll(async () => {
  handle = await createTestDb()
})
afterAll(() => handle?.close())

/** Seeded, so a failure names values that can be reproduced. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

function sampleValues(): number[] {
  const next = random(42)
  const values: number[] = [33.333333333, 0.1, 85.5, 120, -17.25, 1e-7, 123_456_789, 3.4e38]
  // Any magnitude; integers scaled by powers of two (exact in float4, where halfway ties live);
  // the one- and two-decimal readings devices send.
  for (let i = 0; i < 3000; i++) values.push((next() - 0.5) * 10 ** Math.floor(next() * 14 - 6))
  for (let i = 0; i < 3000; i++) {
    values.push(Math.floor(next() * 2 ** 24) * 2 ** Math.floor(next() * 20 - 10))
  }
  for (let i = 0; i < 1000; i++)
    values.push(Math.round(next() * 2000) / 10, Math.round(next() * 1e6) / 100)
  values.push(16_384.0625, -1_679_141.25)
  return values
}

describe(`a real reading as stored (${testDbKind()})`, () => {
  it("is PostgreSQL's own print of the real, for every value", async () => {
    const values = sampleValues()
    const result = await handle.db.execute(
      sql`select v::float8::float4::text as t from json_array_elements_text(${JSON.stringify(values)}::json) with ordinality as e(v, n) order by n`,
    )
    const printed = rowsOf<{ t: string }>(result).map((row) => Number(row.t))
    const mismatches = values.filter((value, i) => toStoredFloat4(value) !== printed[i])
    expect(printed).toHaveLength(values.length)
    expect(mismatches).toEqual([])
  })
})
