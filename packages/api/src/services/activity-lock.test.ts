import { randomUUID } from 'node:crypto'
import { sql } from '@fms/db'
import { lockActivityRefresh } from '@fms/db/queries/activity'
import { rowsOf } from '@fms/db/queries/rows'
import { activityDirty } from '@fms/db/schema'
import { createTestDb, type TestDbHandle } from '@fms/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refreshActivity } from './activity.ts'

// The refresh lock between refreshes: the background one (every organization) alone, a report's
// (one organization) beside reports of other organizations. Holding it in one session while
// another refreshes needs several sessions, so this file runs on PostgreSQL in both projects
// (PGlite is one session, where the lock is always free: activity.test.ts covers it there).
let handle: TestDbHandle
beforeAll(async () => {
  handle = await createTestDb('postgres')
})
afterAll(() => handle?.close())

const START = Date.UTC(2026, 10, 2, 8)

async function addMark(orgId: string) {
  await handle.db.insert(activityDirty).values({ orgId, spans: [[randomUUID(), START, START]] })
}

async function unhandled(orgId: string): Promise<number> {
  const result = await handle.db.execute(
    sql`select count(*)::int as n from activity_dirty where org_id = ${orgId} and processed_at is null`,
  )
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0
}

/** Runs `run` while a refresh (of `orgId`, or of every organization) holds the lock. */
function whileHeld<T>(orgId: string | undefined, run: () => Promise<T>): Promise<T> {
  return handle.db.transaction(async (tx) => {
    expect(await lockActivityRefresh(tx, { wait: true, orgId })).toBe(true)
    return run()
  })
}

describe('the activity refresh lock', () => {
  it('lets a refresh through when no other one holds it (on one session too)', async () => {
    const orgId = randomUUID()
    await addMark(orgId)
    expect(await refreshActivity(handle.db, { orgId, noWait: true })).toBe(1)
    await addMark(orgId)
    expect(await refreshActivity(handle.db, { skipIfBusy: true })).toBeGreaterThanOrEqual(1)
    expect(await unhandled(orgId)).toBe(0)
  })

  describe('between sessions', () => {
    it('skips a background run, without waiting, while another one holds it', async () => {
      const orgId = randomUUID()
      await addMark(orgId)
      await whileHeld(undefined, async () => {
        expect(await refreshActivity(handle.db, { skipIfBusy: true })).toBeNull()
        expect(await refreshActivity(handle.db, { orgId, noWait: true })).toBeNull()
      })
      expect(await unhandled(orgId)).toBe(1)
      expect(await refreshActivity(handle.db, { skipIfBusy: true })).toBeGreaterThanOrEqual(1)
      expect(await unhandled(orgId)).toBe(0)
    })

    it("refreshes other organizations beside a report's refresh, never the same one twice", async () => {
      const mine = randomUUID()
      const theirs = randomUUID()
      await addMark(mine)
      await addMark(theirs)
      await whileHeld(mine, async () => {
        // The background run and another refresh of the same organization give up at once.
        expect(await refreshActivity(handle.db, { skipIfBusy: true })).toBeNull()
        expect(await refreshActivity(handle.db, { orgId: mine, noWait: true })).toBeNull()
        // Another organization's refresh goes ahead.
        expect(await refreshActivity(handle.db, { orgId: theirs, noWait: true })).toBe(1)
      })
      expect(await unhandled(mine)).toBe(1)
      expect(await unhandled(theirs)).toBe(0)
    })

    it('has a waiting refresh of the organization go on once the holder is done', async () => {
      const orgId = randomUUID()
      await addMark(orgId)
      let waiting: Promise<number | null> | undefined
      await whileHeld(orgId, async () => {
        waiting = refreshActivity(handle.db, { orgId })
        // Still waiting a moment later: the holder has not committed.
        const settled = await Promise.race([
          waiting.then(() => 'done'),
          new Promise((resolve) => setTimeout(() => resolve('waiting'), 300)),
        ])
        expect(settled).toBe('waiting')
      })
      expect(await waiting).toBe(1)
      expect(await unhandled(orgId)).toBe(0)
    })
  })
})
