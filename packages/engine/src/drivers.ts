/**
 * Drivers: who drove a vehicle when (the timeline of stints), how the device's identifier moves
 * it, and the driver score. Pure functions; the database keeps the stints, the API and the rules
 * worker call these to change them, so a hand assignment and a card swipe follow the same rules.
 */

/** One stretch of a vehicle's driver timeline: [from, to), `to` null while it lasts. */
export interface DriverStint {
  /** The stored row; absent for a stint this plan creates. */
  id?: string
  from: number
  to: number | null
  /** Null: an identifier no driver of the organization carries (an unknown driver). */
  driverId: string | null
  /** The identifier that started it (RFID, iButton); null for a hand assignment. */
  identifier: string | null
}

/** A point that named its driver: its time and the identifier it carried. */
export interface IdentifiedPoint {
  time: number
  identifier: string
}

/** What to store to turn the old timeline into the new one. */
export interface TimelinePlan {
  /** Stored stints whose end moved (ended earlier, or reopened). */
  ended: { id: string; to: number | null }[]
  /** Stored stints cut away entirely (a new one starts where they started). */
  removed: string[]
  created: Omit<DriverStint, 'id'>[]
  /** The identifiers that started a stint with no known driver, at that time (alerts). */
  unknown: IdentifiedPoint[]
  /** The whole timeline after the change, by start. */
  stints: DriverStint[]
}

function byStart(a: DriverStint, b: DriverStint) {
  return a.from - b.from
}

function covers(stint: DriverStint, time: number) {
  return stint.from <= time && (stint.to === null || time < stint.to)
}

/**
 * Starts `next` at its `from` on a timeline of non-overlapping stints (sorted, changed in place):
 * the stint covering that time ends there (or goes, when it started at the same instant), and
 * `next` lasts as long as the one it cut would have, or up to the next stint when it falls in a
 * gap, so later changes (a later swipe, a later hand assignment) keep their place.
 */
function startStint(stints: DriverStint[], next: DriverStint, fresh: Set<DriverStint>): void {
  fresh.add(next)
  const index = stints.findIndex((s) => covers(s, next.from))
  const current = index >= 0 ? stints[index] : undefined
  if (current) {
    next.to = current.to
    if (current.from === next.from) stints.splice(index, 1)
    else current.to = next.from
  } else {
    next.to = stints.find((s) => s.from > next.from)?.from ?? null
  }
  stints.push(next)
  stints.sort(byStart)
}

/**
 * Joins neighbours started by the same identifier (one ending where the next begins), so a
 * vehicle's identified points give the same timeline whatever order they came in: the earlier
 * stint takes over the later one's end. Hand assignments are never joined: each is a change
 * somebody made at that time, kept as its own boundary.
 */
function mergeNeighbours(stints: DriverStint[]): void {
  for (let i = stints.length - 1; i > 0; i--) {
    const a = stints[i - 1]
    const b = stints[i]
    if (!a || !b || a.to !== b.from || a.identifier === null) continue
    if (a.identifier !== b.identifier || a.driverId !== b.driverId) continue
    a.to = b.to
    stints.splice(i, 1)
  }
}

/** The changes between the stored stints and the planned timeline (`fresh`: stints it added). */
function diff(
  before: readonly DriverStint[],
  after: DriverStint[],
  fresh: ReadonlySet<DriverStint>,
) {
  mergeNeighbours(after)
  const kept = new Map(
    after.filter((s) => !fresh.has(s) && s.id !== undefined).map((s) => [s.id, s]),
  )
  const ended: TimelinePlan['ended'] = []
  const removed: string[] = []
  for (const stint of before) {
    if (stint.id === undefined) continue
    const now = kept.get(stint.id)
    if (!now) removed.push(stint.id)
    else if (now.to !== stint.to) ended.push({ id: stint.id, to: now.to })
  }
  const created = after.filter((s) => fresh.has(s)).map(({ id: _, ...rest }) => rest)
  return { ended, removed, created }
}

function copyStints(stints: readonly DriverStint[]): DriverStint[] {
  return stints.map((s) => ({ ...s })).sort(byStart)
}

/**
 * Applies the identifiers a vehicle's points carried to its timeline: each point must fall in a
 * stint of the driver its identifier names (or, for an identifier nobody carries, an unknown
 * stint of that identifier); where it does not, a new stint starts at the point. Points may come
 * in any order and late: a late point starts its stint at its own time and leaves the later
 * stints in place. A late point inside another identifier's stint keeps the vehicle until that
 * stint's end: the points of it applied before are not read again to find where it resumed. `stints`: every stored stint of the vehicle that may cover a point (at least
 * those overlapping the points' time span, and the first one after it).
 */
export function planIdentification(
  stints: readonly DriverStint[],
  points: readonly IdentifiedPoint[],
  resolve: (identifier: string) => string | null,
): TimelinePlan {
  const timeline = copyStints(stints)
  const fresh = new Set<DriverStint>()
  const unknown: IdentifiedPoint[] = []
  const sorted = [...points].sort((a, b) => a.time - b.time)
  for (const point of sorted) {
    const driverId = resolve(point.identifier)
    const current = timeline.find((s) => covers(s, point.time))
    const isSame =
      current !== undefined &&
      (driverId !== null
        ? current.driverId === driverId
        : current.driverId === null && current.identifier === point.identifier)
    if (isSame) continue
    startStint(
      timeline,
      { from: point.time, to: null, driverId, identifier: point.identifier },
      fresh,
    )
    if (driverId === null) unknown.push(point)
  }
  return { ...diff(stints, timeline, fresh), unknown, stints: timeline }
}

/**
 * A hand assignment: `driverId` drives the vehicle from `from` until the vehicle's next change
 * (or for good). A driver already on it at that time is no change.
 */
export function planAssignment(
  stints: readonly DriverStint[],
  assignment: { driverId: string; from: number },
): TimelinePlan {
  const timeline = copyStints(stints)
  const fresh = new Set<DriverStint>()
  const current = timeline.find((s) => covers(s, assignment.from))
  if (current?.driverId !== assignment.driverId) {
    const next = {
      from: assignment.from,
      to: null,
      driverId: assignment.driverId,
      identifier: null,
    }
    startStint(timeline, next, fresh)
  }
  return { ...diff(stints, timeline, fresh), unknown: [], stints: timeline }
}

/**
 * Ends whatever stint covers `at` (of `driverId` only, when given): the vehicle has no driver
 * from then until its next change. A stint that starts at or after `at` is left alone.
 */
export function planUnassignment(
  stints: readonly DriverStint[],
  options: { at: number; driverId?: string | undefined },
): TimelinePlan {
  const timeline = copyStints(stints)
  const index = timeline.findIndex(
    (s) =>
      covers(s, options.at) && (options.driverId === undefined || s.driverId === options.driverId),
  )
  const current = timeline[index]
  if (current) {
    if (current.from === options.at) timeline.splice(index, 1)
    else current.to = options.at
  }
  return { ...diff(stints, timeline, new Set()), unknown: [], stints: timeline }
}
