import {
  LIVE_READING_NAMES,
  type LiveReadingName,
  READING_NAMES,
  type Reading,
  type ReadingName,
  RULE_READING_NAMES,
  type RulePoint,
  readingSpec,
} from '@fms/engine'
import { and, asc, eq, gt, gte, lt, or, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { telemetry } from '../schema/index.ts'
import { rowsOf } from './rows.ts'
import { type VehicleScope, vehicleScopeSql } from './vehicle-scope.ts'

/** A vehicle with its last point's live readings (the point's `status` as `pointStatus`). */
export interface LatestVehicleState extends Pick<Reading, Exclude<LiveReadingName, 'status'>> {
  vehicleId: string
  code: string
  plate: string | null
  status: string
  deviceId: string | null
  time: Date | null
  pointStatus: string | null
}

/** `t.<column> as "<name>"` for each reading, for raw selects of a telemetry row aliased `t`. */
export function selectReadings(names: readonly ReadingName[]): SQL {
  return sql.raw(names.map((name) => `t.${readingSpec(name).column} as "${name}"`).join(', '))
}

/** A raw row's readings as their TypeScript values (drivers may answer numbers as strings). */
export function readReadings(
  row: Record<string, unknown>,
  names: readonly ReadingName[],
  out: Record<string, unknown>,
): void {
  for (const name of names) {
    const value = row[name]
    const type = readingSpec(name).type
    out[name] =
      value === null || value === undefined
        ? null
        : type === 'boolean'
          ? Boolean(value)
          : type === 'text'
            ? String(value)
            : Number(value)
  }
}

export const LATEST_READINGS = LIVE_READING_NAMES.filter((name) => name !== 'status')

/**
 * Every vehicle of the organization with its last known point: one index probe per vehicle on
 * (vehicle_id, time desc), which stays fast on a hypertable with many chunks.
 */
export async function findLatestVehicleStates(
  db: Database,
  scope: VehicleScope,
): Promise<LatestVehicleState[]> {
  const { orgId } = scope
  const result = await db.execute(sql`
    select v.id as "vehicleId", v.code, v.plate, v.status,
           t.device_id as "deviceId", t.time, ${selectReadings(LATEST_READINGS)},
           t.status as "pointStatus"
    from vehicles v
    left join lateral (
      select * from telemetry
      where telemetry.vehicle_id = v.id and telemetry.org_id = ${orgId}
      order by telemetry.time desc
      limit 1
    ) t on true
    where v.org_id = ${orgId} and ${vehicleScopeSql(sql`v.id`, scope)}
    order by v.code`)
  return rowsOf(result).map((row) => {
    const state = {
      ...row,
      time: row.time === null ? null : new Date(row.time as string | Date),
    }
    readReadings(row, LATEST_READINGS, state)
    return state as unknown as LatestVehicleState
  })
}

/** SQL aggregating a reading's column over a time bucket. */
type BucketAggregate = (column: string) => string

/** A gauge's mean over the bucket. */
const average: BucketAggregate = (column) => `avg(${column})::real`
/** The bucket's last value among the points that have `reading`. */
const lastWith =
  (reading: ReadingName): BucketAggregate =>
  (column) =>
    `(array_agg(${column} order by time desc) filter (where ${readingSpec(reading).column} is not null))[1]`
/** True when it was true at any point of the bucket. */
const anyTrue: BucketAggregate = (column) => `bool_or(${column})`

/**
 * The readings history serves, in its output order, with how a time bucket aggregates each:
 * gauges averaged, the bucket's last position (lat and lon from one point) and heading, ignition
 * on if it was on at any point. A reading added here appears in `HistoryPoint` and both queries.
 */
const HISTORY_READINGS = {
  lat: lastWith('lat'),
  lon: lastWith('lat'),
  speed: average,
  heading: lastWith('heading'),
  rpm: average,
  fuel: average,
  coolantTemp: average,
  engineLoad: average,
  ignition: anyTrue,
} satisfies { [K in ReadingName]?: BucketAggregate }

type HistoryReadingName = keyof typeof HISTORY_READINGS
const HISTORY_READING_NAMES = Object.keys(HISTORY_READINGS) as HistoryReadingName[]

/** The history readings: positions, the averaged gauges and ignition (see `findVehicleHistory`). */
export interface HistoryPoint extends Pick<Reading, HistoryReadingName> {
  time: Date
}

/**
 * A vehicle's points in [from, to), at most `maxPoints`: the raw points when there are few
 * enough, else one point per time bucket (averaged readings, the bucket's last position).
 * Bucketing runs in the database (`date_bin`, on PostgreSQL and TimescaleDB alike).
 */
export async function findVehicleHistory(
  db: Database,
  params: { orgId: string; vehicleId: string; from: Date; to: Date; maxPoints: number },
): Promise<{ points: HistoryPoint[]; bucketSec: number | null }> {
  const from = params.from.toISOString()
  const to = params.to.toISOString()
  const raw = rowsOf(
    await db.execute(sql`
      select t.time, ${selectReadings(HISTORY_READING_NAMES)}
      from telemetry t
      where org_id = ${params.orgId} and vehicle_id = ${params.vehicleId}
        and time >= ${from}::timestamptz and time < ${to}::timestamptz
      order by time
      limit ${params.maxPoints + 1}`),
  )
  if (raw.length <= params.maxPoints) return { points: raw.map(toHistoryPoint), bucketSec: null }
  const spanSec = (params.to.getTime() - params.from.getTime()) / 1000
  const bucketSec = Math.max(1, Math.ceil(spanSec / params.maxPoints))
  const aggregates = HISTORY_READING_NAMES.map(
    (name) => `${HISTORY_READINGS[name](readingSpec(name).column)} as "${name}"`,
  )
  const buckets = rowsOf(
    await db.execute(sql`
      select date_bin(make_interval(secs => ${bucketSec}), time, ${from}::timestamptz) as time,
             ${sql.raw(aggregates.join(', '))}
      from telemetry
      where org_id = ${params.orgId} and vehicle_id = ${params.vehicleId}
        and time >= ${from}::timestamptz and time < ${to}::timestamptz
      group by 1
      order by 1`),
  )
  return { points: buckets.map(toHistoryPoint), bucketSec }
}

function toHistoryPoint(row: Record<string, unknown>): HistoryPoint {
  const point: Record<string, unknown> = { time: new Date(row.time as string | Date) }
  readReadings(row, HISTORY_READING_NAMES, point)
  return point as unknown as HistoryPoint
}

/** A stored point as the rules engine reads it (times in epoch ms). */
export type EnginePoint = RulePoint

/** A vehicle's raw points with `from < time` (and `time < to` when given), oldest first. */
export async function findVehiclePointsSince(
  db: Database,
  params: { orgId: string; vehicleId: string; from: Date; to?: Date | undefined; limit?: number },
): Promise<EnginePoint[]> {
  const to = params.to ? sql`and time < ${params.to.toISOString()}::timestamptz` : sql``
  const rows = rowsOf(
    await db.execute(sql`
      select t.time, ${selectReadings(RULE_READING_NAMES)}
      from telemetry t
      where t.org_id = ${params.orgId} and t.vehicle_id = ${params.vehicleId}
        and t.time > ${params.from.toISOString()}::timestamptz ${to}
      order by time
      limit ${params.limit ?? 1_000_000}`),
  )
  return rows.map((row) => {
    const point: Record<string, unknown> = { time: new Date(row.time as string | Date).getTime() }
    readReadings(row, RULE_READING_NAMES, point)
    return point as unknown as EnginePoint
  })
}

/**
 * When each vehicle of the organization last moved (speed >= `movingKmh`) within the last
 * `withinDays`: one backwards index scan per vehicle on (vehicle_id, time desc).
 */
export async function findLastMovingTimes(
  db: Database,
  params: { orgId: string; movingKmh: number; withinDays: number },
): Promise<Map<string, Date | null>> {
  const since = new Date(Date.now() - params.withinDays * 86_400_000).toISOString()
  const rows = rowsOf(
    await db.execute(sql`
      select v.id as "vehicleId",
             (select t.time from telemetry t
               where t.vehicle_id = v.id and t.org_id = ${params.orgId}
                 and t.time >= ${since}::timestamptz and t.speed >= ${params.movingKmh}
               order by t.time desc limit 1) as "movedAt"
      from vehicles v
      where v.org_id = ${params.orgId}`),
  )
  return new Map(
    rows.map((row) => [
      String(row.vehicleId),
      row.movedAt === null || row.movedAt === undefined
        ? null
        : new Date(row.movedAt as string | Date),
    ]),
  )
}

/** The readings users read from stored points: all but the versions. */
type RawPointReadingName = Exclude<ReadingName, 'swVersion' | 'hwVersion'>
const RAW_POINT_READINGS = READING_NAMES.filter(
  (name): name is RawPointReadingName => name !== 'swVersion' && name !== 'hwVersion',
)

/** A stored point as users read it: every reading but the versions, no org id, no receive bookkeeping. */
export interface RawPoint extends Pick<Reading, RawPointReadingName> {
  time: Date
  deviceId: string
  attributes: Record<string, string | number | boolean | null> | null
}

/** The telemetry table's columns of these readings, for a typed Drizzle select. */
function readingColumns<K extends ReadingName>(names: readonly K[]): Pick<typeof telemetry, K> {
  return Object.fromEntries(names.map((name) => [name, telemetry[name]])) as Pick<
    typeof telemetry,
    K
  >
}

/** The (time, device) key: it orders a vehicle's points totally (one per device and time). */
export interface PointKey {
  time: Date
  deviceId: string
}

/**
 * One page of a vehicle's raw points in [from, to), ordered by (time, device_id), starting after
 * `after`: keyset paging, one query per page. `time >= after.time` bounds a backward scan of the
 * (org_id, vehicle_id, time desc nulls first) index that stops after `limit + 1` rows; equal times
 * across devices are settled by a filter on the rows of that one timestamp, and an incremental
 * sort orders each timestamp's few rows by device. `nextKey` is the last point's key when more
 * follow, else null. (`order by time asc` means nulls last: it matches that index's backward
 * scan only while the index says `nulls first`; with `nulls last` PostgreSQL sorts the range.)
 */
export async function findVehiclePointsPage(
  db: Database,
  params: {
    orgId: string
    vehicleId: string
    from: Date
    to: Date
    after?: PointKey | null | undefined
    limit: number
  },
): Promise<{ points: RawPoint[]; nextKey: PointKey | null }> {
  const { after } = params
  const rows = await db
    .select({
      time: telemetry.time,
      deviceId: telemetry.deviceId,
      ...readingColumns(RAW_POINT_READINGS),
      attributes: telemetry.attributes,
    })
    .from(telemetry)
    .where(
      and(
        eq(telemetry.orgId, params.orgId),
        eq(telemetry.vehicleId, params.vehicleId),
        gte(telemetry.time, params.from),
        lt(telemetry.time, params.to),
        after
          ? and(
              gte(telemetry.time, after.time),
              or(gt(telemetry.time, after.time), gt(telemetry.deviceId, after.deviceId)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(telemetry.time), asc(telemetry.deviceId))
    .limit(params.limit + 1)
  const points = rows.slice(0, params.limit)
  const last = points.at(-1)
  const nextKey =
    rows.length > params.limit && last ? { time: last.time, deviceId: last.deviceId } : null
  return { points, nextKey }
}
