/**
 * The activity buckets folded from one vehicle's committed stream, point by point in time order:
 * the same figures `summarizeSpans` gives over fixed spans (the 15-minute buckets the daily
 * reports add up), without reading any point twice. What a figure still waits on is kept in the
 * state: the cleaned last point (the next stretch starts there), the trip detector (a trip starting
 * on the previous point), the refuel detector (an episode reaching back over the window) and the
 * buckets those can still change. Each bucket has one writer: the fold owns the buckets from
 * `ownedFrom` on; what would change a bucket before it (a late point, the warm-up of a new fold)
 * comes out as a span for the refresher to rebuild from the stored points.
 */
import { RULE_DEFAULTS } from './config.ts'
import { isEmptySummary } from './daily.ts'
import { stepFuelTrack } from './fuel-track.ts'
import { comparePoints, toRulePoint } from './points.ts'
import { createTripState, stepTrip, type TripState } from './trips.ts'
import type { RulePoint, RulePointInput } from './types.ts'

/** A bucket's figures: the shares of the stretches in it, as `summarizeSpans` counts them. */
export interface ActivityFigures {
  pointCount: number
  distanceKm: number
  movingDistanceKm: number
  drivingSec: number
  idleSec: number
  maxSpeed: number | null
  fuelUsedPct: number | null
  refuelledPct: number
  refuelCount: number
  tripCount: number
}

export interface FoldedBucket extends ActivityFigures {
  /** Start of the bucket, epoch ms. */
  bucket: number
}

/** The fold's state: plain JSON, kept beside the vehicle's engine state. */
export interface ActivityFoldState {
  bucketMs: number
  /** Buckets starting here or later are written by the fold; earlier ones by the refresher. */
  ownedFrom: number
  /** The newest point consumed (as received): later points are in order, others are late. */
  last: RulePoint | null
  /** Trips, and the position cleaner whose last point (`trips.prev`) starts the next stretch. */
  trips: TripState
  fuel: { window: [number, number][]; episode: FuelEpisodeState | null }
  /** The newest fuel sample: the next fuel stretch starts there. */
  lastFuel: [time: number, fuel: number] | null
  /** Fuel level at bucket edges since the oldest time a refuel can still reach back to. */
  fuelEdges: [time: number, fuel: number][]
  /** Owned buckets a later point can still change, by start (ms, as a string key). */
  open: Record<string, ActivityFigures>
}

interface FuelEpisodeState {
  start: number
  startFuel: number
  lastTime: number
  extreme: number
}

export interface ActivityFoldResult {
  state: ActivityFoldState
  /** Owned buckets this fold changed, with their whole figures (replace what is stored). */
  buckets: FoldedBucket[]
  /** [from, to] times whose buckets before `ownedFrom` changed: the refresher rebuilds them. */
  repair: [number, number] | null
}

/**
 * How far a point's figures reach back into earlier buckets through what follows it: a refuel
 * episode to the start of its rise (the refuel window, 10 min) and a trip start to the stop before
 * it (3 min) or a data gap (10 min). The refresher rebuilds this much around a changed span, so
 * after a late point the fold leaves it the buckets up to this far past its newest point.
 */
export const ACTIVITY_REACH_MS = 15 * 60_000
/**
 * A fold that starts without the vehicle's earlier points (its history predates the fold, or its
 * state was lost) leaves the first buckets to the refresher, which reads that context back: the
 * reach plus the refresher's context (`CONTEXT_MS`).
 */
export const ACTIVITY_WARM_MS = 30 * 60_000

const REFUEL = {
  direction: 1,
  threshold: RULE_DEFAULTS.refuel.threshold,
  windowMs: RULE_DEFAULTS.refuel.durationSec * 1000,
} as const

function floorTo(time: number, size: number): number {
  return Math.floor(time / size) * size
}

/**
 * A fold starting at `time`. `hasHistory` false: the vehicle has no point before it (a vehicle
 * new to the rules engine), so the fold owns its buckets at once; otherwise after a warm-up.
 */
export function createActivityFold(
  time: number,
  options: { bucketMs: number; hasHistory: boolean },
): ActivityFoldState {
  const { bucketMs } = options
  const ownedFrom = options.hasHistory
    ? floorTo(time + ACTIVITY_WARM_MS, bucketMs) + bucketMs
    : floorTo(time, bucketMs)
  return {
    bucketMs,
    ownedFrom,
    last: null,
    trips: createTripState(),
    fuel: { window: [], episode: null },
    lastFuel: null,
    fuelEdges: [],
    open: {},
  }
}

function createFigures(): ActivityFigures {
  return {
    pointCount: 0,
    distanceKm: 0,
    movingDistanceKm: 0,
    drivingSec: 0,
    idleSec: 0,
    maxSpeed: null,
    fuelUsedPct: null,
    refuelledPct: 0,
    refuelCount: 0,
    tripCount: 0,
  }
}

/** One fold over a batch: the state is a copy, changed in place, returned at the end. */
class Fold {
  readonly changed = new Set<number>()
  repair: [number, number] | null = null

  constructor(readonly state: ActivityFoldState) {}

  private repairSpan(from: number, to: number) {
    this.repair = this.repair
      ? [Math.min(this.repair[0], from), Math.max(this.repair[1], to)]
      : [from, to]
  }

  /** The owned bucket starting at `start` to add to, or null (a repair span is noted). */
  private figuresAt(start: number, from: number, to: number): ActivityFigures | null {
    if (start < this.state.ownedFrom) {
      this.repairSpan(from, to)
      return null
    }
    const key = String(start)
    let figures = this.state.open[key]
    if (!figures) {
      figures = createFigures()
      this.state.open[key] = figures
    }
    this.changed.add(start)
    return figures
  }

  /** Adds to the bucket holding `time`. */
  at(time: number, add: (figures: ActivityFigures) => void) {
    const figures = this.figuresAt(floorTo(time, this.state.bucketMs), time, time)
    if (figures) add(figures)
  }

  /** Adds to each bucket overlapping [from, to) its share (by time) of the stretch. */
  spread(from: number, to: number, add: (figures: ActivityFigures, share: number) => void) {
    const size = this.state.bucketMs
    for (let start = floorTo(from, size); start < to; start += size) {
      const figures = this.figuresAt(start, Math.max(from, start), Math.min(to, start + size))
      if (figures) add(figures, (Math.min(to, start + size) - Math.max(from, start)) / (to - from))
    }
  }

  /** The bucket edges crossed by the stretch (a, b], with the fuel level interpolated there. */
  private recordFuelEdges(a: [number, number], b: [number, number]) {
    const size = this.state.bucketMs
    for (let edge = floorTo(a[0], size) + size; edge <= b[0]; edge += size) {
      const fuel = a[1] + ((b[1] - a[1]) * (edge - a[0])) / (b[0] - a[0])
      this.state.fuelEdges.push([edge, fuel])
    }
  }

  /**
   * The fuel stretches in [from, to] turn out to be a refuel: what they added to `fuelUsedPct`
   * (the fall, counted while they looked like use) is taken back and the rise is `refuelledPct`.
   * The rise within each bucket is the level at its later edge minus at its earlier one.
   */
  private classifyRefuel(from: [number, number], to: [number, number]) {
    const knots = [
      from,
      ...this.state.fuelEdges.filter(([time]) => time > from[0] && time < to[0]),
      to,
    ]
    for (let i = 1; i < knots.length; i++) {
      const a = knots[i - 1] as [number, number]
      const b = knots[i] as [number, number]
      if (b[0] <= a[0]) continue
      const figures = this.figuresAt(floorTo(a[0], this.state.bucketMs), a[0], b[0])
      if (!figures) continue
      const rise = b[1] - a[1]
      figures.fuelUsedPct = (figures.fuelUsedPct ?? 0) + rise
      figures.refuelledPct += rise
    }
  }

  private stepFuel(time: number, fuel: number) {
    const { state } = this
    const sample: [number, number] = [time, fuel]
    const previous = state.lastFuel
    if (previous) {
      this.recordFuelEdges(previous, sample)
      const [aTime, aFuel] = previous
      this.spread(aTime, time, (figures, share) => {
        figures.fuelUsedPct = (figures.fuelUsedPct ?? 0) + (aFuel - fuel) * share
      })
    }
    state.lastFuel = sample
    const before = state.fuel.episode
    const out = stepFuelTrack(state.fuel, time, fuel, REFUEL)
    state.fuel = out.state
    const episode = out.state.episode
    if (!episode) return
    if (out.events.some((event) => event.type === 'open')) {
      this.at(episode.start, (figures) => figures.refuelCount++)
      this.classifyRefuel([episode.start, episode.startFuel], sample)
    } else if (before && episode.lastTime > before.lastTime) {
      this.classifyRefuel([before.lastTime, before.extreme], sample)
    }
  }

  step(received: RulePoint) {
    const { state } = this
    const prev = state.trips.prev
    const stepped = stepTrip(state.trips, received)
    const draft = stepped.state.draft
    if (draft && (state.trips.draft === null || stepped.trips.length > 0)) {
      this.at(draft.first.time, (figures) => figures.tripCount++)
    }
    state.trips = stepped.state
    state.last = received
    // The cleaned point, as `summarizeSpans` measures it (the trip detector cleans it).
    const point = stepped.state.prev as RulePoint
    const seg = stepped.segment
    if (prev && seg) {
      this.spread(prev.time, point.time, (figures, share) => {
        figures.distanceKm += seg.distanceKm * share
        if (seg.isMoving) figures.movingDistanceKm += seg.distanceKm * share
        if (seg.isMoving) figures.drivingSec += seg.durationSec * share
        if (seg.isIdle) figures.idleSec += seg.durationSec * share
      })
    }
    this.at(point.time, (figures) => {
      figures.pointCount++
      if (point.speed !== null) figures.maxSpeed = Math.max(figures.maxSpeed ?? 0, point.speed)
    })
    if (point.fuel !== null) this.stepFuel(point.time, point.fuel)
  }

  /**
   * A point at or before the newest one: the buckets around it are the refresher's to rebuild,
   * and the fold hands it everything up to ACTIVITY_REACH_MS past its newest point (the fold's
   * figures there lack the late point).
   */
  late(received: RulePoint) {
    const { state } = this
    const newest = state.last?.time ?? received.time
    this.repairSpan(received.time, received.time)
    // Buckets this batch changed before the late point are not written now: rebuilt too.
    const changed = Math.min(...this.changed)
    if (Number.isFinite(changed)) this.repairSpan(changed, newest)
    const ownedFrom = floorTo(newest + ACTIVITY_REACH_MS, state.bucketMs) + state.bucketMs
    state.ownedFrom = Math.max(state.ownedFrom, ownedFrom)
  }

  /**
   * Forgets the buckets no later point can reach any more (final: written already) and hands
   * them to the refresher (`ownedFrom`), which then repairs them should anything else change them
   * (points stored without the rules engine); forgets the fuel edges no refuel can reach.
   */
  prune() {
    const { state } = this
    const reach = [
      state.trips.prev?.time,
      state.lastFuel?.[0],
      state.fuel.window[0]?.[0],
      state.fuel.episode?.lastTime,
    ]
    const oldest = Math.min(...reach.filter((t): t is number => t !== undefined))
    if (!Number.isFinite(oldest)) return
    state.ownedFrom = Math.max(state.ownedFrom, floorTo(oldest, state.bucketMs))
    for (const key of Object.keys(state.open)) {
      if (Number(key) < state.ownedFrom) delete state.open[key]
    }
    state.fuelEdges = state.fuelEdges.filter(([time]) => time >= oldest)
  }
}

/**
 * Folds a batch of one vehicle's committed points (any order; in time order after those already
 * folded is the usual case) into the state: the owned buckets it changed, whole, and the span the
 * refresher must rebuild (late points, a warming fold), if any.
 */
export function foldActivity(
  state: ActivityFoldState,
  points: readonly RulePointInput[],
): ActivityFoldResult {
  // A copy: the trip and fuel detectors' states are replaced, never changed in place; the open
  // buckets and the fuel edges are changed in place, so those are copied.
  const open: Record<string, ActivityFigures> = {}
  for (const [key, figures] of Object.entries(state.open)) open[key] = { ...figures }
  const fold = new Fold({ ...state, open, fuelEdges: [...state.fuelEdges] })
  const sorted = points.map(toRulePoint).sort(comparePoints)
  for (const point of sorted) {
    const last = fold.state.last
    if (last !== null && point.time <= last.time) {
      // The newest point again, or another at its millisecond that sorts after it (the canonical
      // history keeps the first): nothing changes. Anything else is late.
      if (point.time === last.time && comparePoints(last, point) <= 0) continue
      fold.late(point)
      continue
    }
    fold.step(point)
  }
  const buckets: FoldedBucket[] = []
  for (const start of [...fold.changed].sort((a, b) => a - b)) {
    const figures = fold.state.open[String(start)] ?? null
    // Changed and then handed to the refresher by a late point in the same batch: not ours. A
    // bucket that adds nothing has no row (as the refresher leaves it).
    if (!figures || start < fold.state.ownedFrom || isEmptySummary(figures)) continue
    buckets.push({ bucket: start, ...figures })
  }
  fold.prune()
  return { state: fold.state, buckets, repair: fold.repair }
}
