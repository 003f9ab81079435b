import { RULE_READING_NAMES, type RuleReadingName, readingSpec } from './reading.ts'
import { fixedShape } from './shape.ts'
import type { RulePoint, RulePointInput } from './types.ts'

/** The tie-break order of `comparePoints`: these first, then any other rule reading. */
const FIRST_VALUE_FIELDS: readonly RuleReadingName[] = [
  'speed',
  'lat',
  'lon',
  'rpm',
  'fuel',
  'coolantTemp',
  'engineLoad',
  'odometer',
  'ignition',
]
const VALUE_FIELDS: readonly RuleReadingName[] = [
  ...FIRST_VALUE_FIELDS,
  ...RULE_READING_NAMES.filter((name) => !FIRST_VALUE_FIELDS.includes(name)),
]

function readNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function readBoolean(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null
}

function readText(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

const READERS = { float8: readNumber, float4: readNumber, boolean: readBoolean, text: readText }
/** The rule readings with their normalizers, compiled once: this runs for every ingested point. */
const RULE_FIELDS = RULE_READING_NAMES.map(
  (name) => [name, READERS[readingSpec(name).type]] as const,
)

const newRulePoint = fixedShape(['time', ...RULE_READING_NAMES])

/** Normalizes any point shape (LivePoint, TelemetryInsert, RulePoint) to a JSON-safe RulePoint. */
export function toRulePoint(input: RulePointInput): RulePoint {
  const point: Record<string, unknown> = newRulePoint()
  point.time = input.time
  for (const [name, read] of RULE_FIELDS) point[name] = read(input[name])
  return point as unknown as RulePoint
}

function rankValue(value: number | boolean | string | null): number {
  if (value === null) return 0
  if (typeof value === 'boolean') return value ? 2 : 1
  return typeof value === 'number' ? 3 : 4
}

function compareValues(
  a: number | boolean | string | null,
  b: number | boolean | string | null,
): number {
  const byRank = rankValue(a) - rankValue(b)
  if (byRank !== 0) return byRank
  if (typeof a === 'number' && typeof b === 'number') return a - b
  // Code-unit order, not the locale's: the same on every node.
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  return 0
}

/**
 * A total order on points: by time, then by value, field by field. Two points at the same time
 * are therefore always ordered the same way, whatever order they arrived in.
 */
export function comparePoints(a: RulePoint, b: RulePoint): number {
  if (a.time !== b.time) return a.time - b.time
  for (const field of VALUE_FIELDS) {
    const order = compareValues(a[field], b[field])
    if (order !== 0) return order
  }
  return 0
}

/**
 * The canonical history of one vehicle: normalized, sorted by `comparePoints`, one point per
 * millisecond (the first in that order wins). Every path (live replay, history, reports) reads
 * points through this, so they all see the same sequence.
 */
export function sortPoints(points: readonly RulePointInput[]): RulePoint[] {
  const sorted = points.map(toRulePoint).sort(comparePoints)
  const out: RulePoint[] = []
  let kept: RulePoint | undefined
  for (const point of sorted) {
    if (kept !== undefined && kept.time === point.time) continue
    out.push(point)
    kept = point
  }
  return out
}

/** Whether the engine is running: ignition on, or (no ignition signal) the engine turning. */
export function isEngineOn(point: RulePoint): boolean {
  if (point.ignition !== null) return point.ignition
  return point.rpm !== null && point.rpm > 0
}
