import { describe, expect, it } from 'vitest'
import {
  ACTIVITY_REACH_MS,
  ACTIVITY_WARM_MS,
  type ActivityFoldState,
  createActivityFold,
  type FoldedBucket,
  foldActivity,
} from './activity-fold.ts'
import { type DailySummary, isEmptySummary, roundSummary, summarizeSpans } from './daily.ts'
import { at, generateStream, series } from './fixtures.ts'
import type { RulePoint } from './types.ts'

const BUCKET_MS = 15 * 60_000

/** The buckets `summarizeSpans` gives over every bucket the points touch (the full fold). */
function summarizeBuckets(points: readonly RulePoint[]): FoldedBucket[] {
  const times = points.map((p) => p.time)
  const first = Math.floor(Math.min(...times) / BUCKET_MS) * BUCKET_MS
  const last = Math.max(...times)
  const spans = []
  for (let start = first; start <= last; start += BUCKET_MS) {
    spans.push({ date: '', start, end: start + BUCKET_MS })
  }
  return summarizeSpans({ points }, spans)
    .filter((s) => !isEmptySummary(s))
    .map(({ date: _, start, end: __, alertCounts: ___, avgSpeed: ____, ...figures }) => ({
      bucket: start,
      ...figures,
    }))
}

/** Folds the points in batches of `size`, keeping the last written version of each bucket. */
function foldInBatches(points: readonly RulePoint[], size: number) {
  let state: ActivityFoldState | null = null
  const stored = new Map<number, FoldedBucket>()
  const repairs: [number, number][] = []
  for (let i = 0; i < points.length; i += size) {
    const batch = points.slice(i, i + size)
    state ??= createActivityFold(batch[0]?.time ?? 0, { bucketMs: BUCKET_MS, hasHistory: false })
    const out = foldActivity(state, batch)
    state = out.state
    for (const bucket of out.buckets) stored.set(bucket.bucket, bucket)
    if (out.repair) repairs.push(out.repair)
  }
  return { state, stored, repairs }
}

function rounded(buckets: Iterable<FoldedBucket>) {
  return [...buckets]
    .filter((b) => !isEmptySummary(b))
    .sort((a, b) => a.bucket - b.bucket)
    .map((b) => {
      const summary = { ...b, start: 0, end: 0, avgSpeed: null, alertCounts: {} }
      const {
        avgSpeed: _,
        alertCounts: __,
        ...r
      } = roundSummary(summary as never as typeof b & Omit<DailySummary, 'date'>)
      return { ...r, fuelUsedPct: r.fuelUsedPct === null ? null : r.fuelUsedPct + 0 }
    })
}

describe('foldActivity', () => {
  it('folds a stream in any batch size to the buckets of the full fold', () => {
    const points = generateStream(7, 4000)
    const expected = rounded(summarizeBuckets(points))
    for (const size of [1, 17, 500]) {
      const { stored, repairs } = foldInBatches(points, size)
      expect(repairs).toEqual([])
      expect(rounded(stored.values())).toEqual(expected)
    }
  }, 30_000)

  it('counts a refuel once, in the bucket its rise starts, and takes its rise out of fuel used', () => {
    const points = [
      ...series(0, 1200, 30, () => ({ fuel: 40, speed: 0, ignition: true })),
      ...series(1200, 1500, 30, (s) => ({ fuel: 40 + (s - 1200) / 10, speed: 0 })),
      ...series(1500, 2400, 30, () => ({ fuel: 70, speed: 0, ignition: true })),
    ]
    const { stored } = foldInBatches(points, 1)
    expect(rounded(stored.values())).toEqual(rounded(summarizeBuckets(points)))
    const refuels = [...stored.values()].reduce((n, b) => n + b.refuelCount, 0)
    expect(refuels).toBe(1)
  })

  it('keeps only the buckets a later point can still change', () => {
    const points = generateStream(3, 3000)
    const { state } = foldInBatches(points, 50)
    expect(Object.keys(state?.open ?? {}).length).toBeLessThanOrEqual(3)
  })

  it('ignores the newest point sent again', () => {
    const points = series(0, 600, 10, (s) => ({ lat: 52.5 + s / 1e5, lon: 13.4, speed: 30 }))
    const { state } = foldInBatches(points, 10)
    const again = foldActivity(state as ActivityFoldState, points.slice(-1))
    expect(again.repair).toBeNull()
    expect(again.buckets).toEqual([])
  })

  it('hands a late point, and the buckets up to the reach past the newest, to the refresher', () => {
    const points = series(0, 3600, 10, (s) => ({ lat: 52.5 + s / 1e5, lon: 13.4, speed: 30 }))
    const { state } = foldInBatches(points, 10)
    const newest = points[points.length - 1]?.time as number
    const late = at(1805, { lat: 52.6, lon: 13.4, speed: 30 })
    const out = foldActivity(state as ActivityFoldState, [late])
    expect(out.repair).toEqual([late.time, late.time])
    expect(out.buckets).toEqual([])
    expect(out.state.ownedFrom).toBeGreaterThan(newest + ACTIVITY_REACH_MS)
    // The next points in order: their shares in the handed-over buckets are repairs too.
    const next = foldActivity(out.state, [at(3600, { lat: 52.6, lon: 13.4, speed: 30 })])
    expect(next.repair).not.toBeNull()
    expect(next.buckets.every((b) => b.bucket >= out.state.ownedFrom)).toBe(true)
  })

  it('leaves the first buckets of a vehicle with history to the refresher while it warms up', () => {
    const points = series(0, 7200, 10, (s) => ({ lat: 52.5 + s / 1e5, lon: 13.4, speed: 30 }))
    const t0 = points[0]?.time as number
    let state = createActivityFold(t0, { bucketMs: BUCKET_MS, hasHistory: true })
    const written: FoldedBucket[] = []
    let repaired: [number, number] | null = null
    for (let i = 0; i < points.length; i += 30) {
      const out = foldActivity(state, points.slice(i, i + 30))
      state = out.state
      written.push(...out.buckets)
      if (out.repair) repaired = [repaired?.[0] ?? out.repair[0], out.repair[1]]
    }
    expect(Math.min(...written.map((b) => b.bucket))).toBeGreaterThanOrEqual(t0 + ACTIVITY_WARM_MS)
    expect(repaired?.[0]).toBe(t0)
    // Every bucket from the warm-up's end on is the full fold's.
    const owned = new Map(written.map((b) => [b.bucket, b]))
    const first = Math.min(...owned.keys())
    const expected = summarizeBuckets(points).filter((b) => b.bucket >= first)
    expect(rounded(owned.values())).toEqual(rounded(expected))
  })
})
