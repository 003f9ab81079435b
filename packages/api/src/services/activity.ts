import type { Database } from '@fms/db'
import {
  type ActivityBucket,
  type DirtySpan,
  deleteDirtySpans,
  findDirtySpans,
  findNeighbourPointTimes,
  hasDirtySpans,
  lockActivityRefresh,
  markSpansProcessed,
  replaceActivity,
} from '@fms/db/queries/activity'
import {
  findFoldOwnedFrom,
  findOutboxWatermark,
  hasOutboxRowsUpTo,
} from '@fms/db/queries/activity-fold'
import { findVehiclePointsSince } from '@fms/db/queries/telemetry'
import { ACTIVITY_BUCKET_MS } from '@fms/db/schema'
import { isEmptySummary, summarizeSpans } from '@fms/engine'

/** Mark rows read per transaction at most (each lists a batch's vehicles). */
const MARKS_PER_PASS = 200
/**
 * Vehicle time a pass takes on at most (the spans' lengths, an hour at least each): bounds the
 * points one transaction reads and how long it holds the refresh lock. A pass always takes at
 * least one mark row.
 */
const PASS_BUDGET_MS = 30 * 86_400_000
const MIN_SPAN_COST_MS = 3_600_000
/**
 * A vehicle's marked time is rebuilt in windows of at most this much (plus margins): long enough
 * that the margins cost little on a backfill, short enough to keep one window's points in memory.
 */
const WINDOW_MAX_MS = 7 * 86_400_000

interface Window {
  orgId: string
  vehicleId: string
  from: number
  to: number
}

function floorBucket(time: number): number {
  return Math.floor(time / ACTIVITY_BUCKET_MS) * ACTIVITY_BUCKET_MS
}

/** Per vehicle, the marked spans merged where their rebuilds would overlap, cut to windows. */
export function planWindows(marks: readonly DirtySpan[]): Window[] {
  // Each vehicle's organization is taken from its first mark (a vehicle has one organization).
  const byVehicle = new Map<string, { orgId: string; list: DirtySpan[] }>()
  for (const mark of marks) {
    const group = byVehicle.get(mark.vehicleId)
    if (group) group.list.push(mark)
    else byVehicle.set(mark.vehicleId, { orgId: mark.orgId, list: [mark] })
  }
  const windows: Window[] = []
  for (const [vehicleId, { orgId, list }] of byVehicle) {
    list.sort((a, b) => a.from - b.from)
    const merged: { from: number; to: number }[] = []
    for (const mark of list) {
      const last = merged[merged.length - 1]
      if (last && mark.from <= last.to + 2 * (REACH_MS + CONTEXT_MS)) {
        last.to = Math.max(last.to, mark.to)
      } else merged.push({ from: mark.from, to: mark.to })
    }
    for (const span of merged) {
      for (let from = span.from; from <= span.to; from += WINDOW_MAX_MS) {
        windows.push({ orgId, vehicleId, from, to: Math.min(span.to, from + WINDOW_MAX_MS - 1) })
      }
    }
  }
  return windows
}

/**
 * How far from the points either side of new ones their figures can change: a refuel episode
 * reaches back to the start of the rise (`refuel` window, 10 min) and a trip start depends on the
 * stop before it (STOP_MIN_MS, 3 min) or a data gap (SEGMENT_MAX_GAP_MS, 10 min).
 */
const REACH_MS = 15 * 60_000
/**
 * Points loaded beyond the rebuilt buckets, so trips and refuels at their edges classify alike,
 * and the position cleaner (`cleanFix`) judges the first fixes after the ones before them.
 */
const CONTEXT_MS = 15 * 60_000

/**
 * Recomputes the buckets that points in [from, to] can change, up to where the vehicle's fold
 * takes over (the buckets it writes as points are committed): every stretch from the point
 * before to the point after, plus REACH_MS either side for trips and refuels (none after the
 * newest point: appending, the common case, rebuilds only from just before the new points), with
 * the functions the raw-point reports use. The work is the new points plus about half an hour.
 */
async function rebuildWindow(tx: Database, window: Window): Promise<void> {
  const neighbours = await findNeighbourPointTimes(tx, window)
  const from = floorBucket(Math.min(window.from, neighbours.before ?? window.from) - REACH_MS)
  const last = neighbours.after === null ? window.to : neighbours.after + REACH_MS
  // The buckets from the vehicle's fold on are the rules engine's (`foldActivity`): never here.
  const ownedFrom = await findFoldOwnedFrom(tx, window.vehicleId)
  const to = Math.min(floorBucket(last) + ACTIVITY_BUCKET_MS, ownedFrom ?? Number.POSITIVE_INFINITY)
  if (to <= from) return
  // Reach one point past the context either side too: the stretch from it (a data gap, its
  // distance spread over the gap) has a share in the first and last rebuilt buckets.
  const outer = await findNeighbourPointTimes(tx, {
    ...window,
    from: from - CONTEXT_MS,
    to: to + CONTEXT_MS,
  })
  const points = await findVehiclePointsSince(tx, {
    orgId: window.orgId,
    vehicleId: window.vehicleId,
    from: new Date(Math.min(from - CONTEXT_MS, outer.before ?? Number.POSITIVE_INFINITY) - 1),
    to: new Date(Math.max(to + CONTEXT_MS, outer.after ?? Number.NEGATIVE_INFINITY) + 1),
  })
  const spans = []
  for (let start = from; start < to; start += ACTIVITY_BUCKET_MS) {
    spans.push({ date: '', start, end: start + ACTIVITY_BUCKET_MS })
  }
  const buckets: ActivityBucket[] = []
  for (const summary of summarizeSpans({ points }, spans)) {
    if (isEmptySummary(summary)) continue
    // Alerts are counted from the alerts table, and the average is derived from the sums.
    const { date: _, start, end: __, alertCounts: ___, avgSpeed: ____, ...figures } = summary
    buckets.push({ bucket: start, ...figures })
  }
  await replaceActivity(tx, { ...window, from, to }, buckets)
}

/**
 * Brings `vehicle_activity` up to date with every committed point (of one organization, or of
 * all): reads pending marks, rebuilds their windows and deletes the marks (keeping young ones for
 * one more look once settled, see `activity_dirty`), one transaction per pass, each under the
 * refresh lock (`lockActivityRefresh`: exclusive for all organizations, shared plus the
 * organization's own for one), so no two refreshes, on any node, ever fold the same marks or
 * rebuild the same vehicle at once. Returns the number of marks handled, or null when it gave up
 * before handling any because another refresh held the lock.
 */
export async function refreshActivity(
  db: Database,
  options: {
    orgId?: string | undefined
    maxPasses?: number
    /**
     * Never wait for the lock: give up when another refresh holds it, at once (returning null)
     * or before a later pass (returning the marks handled so far).
     */
    noWait?: boolean
    /**
     * Skip the run (returning null) when another refresh holds the lock at the start, as the
     * background refresher does so that one node at a time runs it; once running, later passes
     * wait for the lock (behind a report, or a node that came in between two passes, each one
     * pass long), so a catch-up is not cut short.
     */
    skipIfBusy?: boolean
  } = {},
): Promise<number | null> {
  let handled = 0
  for (let pass = 0; pass < (options.maxPasses ?? Number.POSITIVE_INFINITY); pass++) {
    const wait = !options.noWait && !(options.skipIfBusy && pass === 0)
    const count = await db.transaction(async (tx) => {
      if (!(await lockActivityRefresh(tx, { wait, orgId: options.orgId }))) return null
      const marks = takeBudget(
        await findDirtySpans(tx, { orgId: options.orgId, limit: MARKS_PER_PASS }),
      )
      for (const window of planWindows(marks.spans)) await rebuildWindow(tx, window)
      await deleteDirtySpans(tx, marks.settledIds)
      await markSpansProcessed(tx, marks.youngIds)
      return { rows: marks.rows, isPartial: marks.isPartial }
    })
    if (count === null) return pass === 0 ? null : handled
    handled += count.rows
    if (count.rows < MARKS_PER_PASS && !count.isPartial) break
    // Let requests in between passes: a long catch-up must not starve the event loop.
    await new Promise((resolve) => setImmediate(resolve))
  }
  return handled
}

/** The leading mark rows whose spans fit PASS_BUDGET_MS (at least one row). */
function takeBudget(marks: Awaited<ReturnType<typeof findDirtySpans>>) {
  const costs = new Map<number, number>()
  for (const s of marks.spans) {
    costs.set(s.id, (costs.get(s.id) ?? 0) + Math.max(MIN_SPAN_COST_MS, s.to - s.from))
  }
  const kept = new Set<number>()
  let cost = 0
  for (const [id, rowCost] of costs) {
    if (kept.size > 0 && cost + rowCost > PASS_BUDGET_MS) break
    kept.add(id)
    cost += rowCost
  }
  const rows = marks.settledIds.length + marks.youngIds.length
  // Rows without spans (nothing to rebuild) are always taken.
  const isKept = (id: number) => kept.has(id) || !costs.has(id)
  const settledIds = marks.settledIds.filter(isKept)
  const youngIds = marks.youngIds.filter(isKept)
  return {
    spans: marks.spans.filter((s) => kept.has(s.id)),
    settledIds,
    youngIds,
    rows: settledIds.length + youngIds.length,
    isPartial: settledIds.length + youngIds.length < rows,
  }
}

/**
 * Refresh passes a report runs before reading: enough for everything since the last background
 * run; a backlog beyond it (an import, the first start after upgrading) is left to the background
 * refresher and the answer says it is not up to date, rather than keeping the request waiting.
 */
const REPORT_REFRESH_PASSES = 3

/**
 * How long a report waits for the rules engine to fold the organization's points committed before
 * it asked (normally the rules lag, under a second); past that it answers not up to date.
 */
const REPORT_FOLD_WAIT_MS = 2000
const FOLD_POLL_MS = 25

/**
 * Waits, at most `waitMs`, until the rules engine has folded every point of the organization
 * committed so far (the outbox rows holding them are consumed). True when it has.
 */
async function waitForOrgFold(db: Database, orgId: string, waitMs: number): Promise<boolean> {
  const watermark = await findOutboxWatermark(db, orgId)
  if (watermark === null) return true
  const deadline = Date.now() + waitMs
  while (await hasOutboxRowsUpTo(db, orgId, watermark)) {
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, FOLD_POLL_MS))
  }
  return true
}

/**
 * Before a report of the organization: waits (briefly) for the rules engine to fold its points
 * committed so far into the buckets, then summarizes what the fold left to the refresher (late
 * points), if anything, in a few passes at most and never waiting behind another refresh (the
 * background one may hold the lock for a while). True when every point is summarized; false
 * while a backlog remains, whose figures are missing from the report until the rules engine or
 * the background refresher gets to them.
 */
export async function catchUpOrgActivity(
  db: Database,
  orgId: string,
  options: { foldWaitMs?: number } = {},
): Promise<boolean> {
  const isFolded = await waitForOrgFold(db, orgId, options.foldWaitMs ?? REPORT_FOLD_WAIT_MS)
  if (!(await hasDirtySpans(db, orgId))) return isFolded
  await refreshActivity(db, { orgId, maxPasses: REPORT_REFRESH_PASSES, noWait: true })
  return isFolded && !(await hasDirtySpans(db, orgId))
}
