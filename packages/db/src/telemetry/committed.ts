import { type OutboxSpan, shardOfVehicle } from '../schema/rule-shards.ts'
import { newOutboxPoint, OUTBOX_READING_COLUMNS, type OutboxPoint } from './outbox.ts'
import type { TelemetryInsert } from './rows.ts'

/**
 * A 32-bit float reading as reading it back from the database answers it: rounded to float4,
 * then printed as the shortest decimal that rounds to the same float4 (PostgreSQL's output) and
 * parsed again. So 80.1 stays 80.1, while 80.10000001 becomes 80.1 too.
 */
export function asStoredFloat4(value: number): number {
  const stored = Math.fround(value)
  if (Number.isInteger(stored) || !Number.isFinite(stored)) return stored
  for (let digits = 1; digits < 9; digits++) {
    const shortest = Number(stored.toPrecision(digits))
    if (Math.fround(shortest) === stored) return shortest
  }
  return Number(stored.toPrecision(9))
}

/** The row as reading it back answers it: a fresh OutboxPoint, null readings left out. */
function asStoredPoint(row: TelemetryInsert, vehicleId: string): OutboxPoint {
  const point: Record<string, unknown> = newOutboxPoint()
  point.orgId = row.orgId
  point.vehicleId = vehicleId
  point.time = row.time
  for (const { name, type } of OUTBOX_READING_COLUMNS) {
    const value = row[name]
    if (value === null || value === undefined) continue
    point[name] = type === 'float4' && typeof value === 'number' ? asStoredFloat4(value) : value
  }
  return point as OutboxPoint
}

/**
 * The batches this process committed with rule outbox rows, kept briefly so the rules engine on
 * the same node takes their points from memory instead of reading them back from `telemetry`.
 * Keyed like the outbox names them: the transaction id and, in it, each vehicle's points. Only
 * for batches stored whole (the COPY path), where the transaction committed exactly these rows;
 * a span not found here (another node's batch, a restart, evicted) is read back as before.
 *
 * Bounded by `maxPoints`: the oldest batches are dropped first (a batch whose transaction did not
 * commit is never asked for and simply ages out). `wants` picks the vehicles worth keeping (those
 * of the shards this node's rules engine holds).
 */
export class CommittedBatches {
  private readonly byXid = new Map<number, Map<string, TelemetryInsert[]>>()
  private points = 0

  constructor(
    private readonly options: {
      maxPoints: number
      wants?: (shard: number) => boolean
    },
  ) {}

  /** How many points are kept now. */
  get size(): number {
    return this.points
  }

  /** Keeps the rows with a vehicle that transaction `xid` stores (in full, or not at all). */
  add(xid: number, rows: readonly TelemetryInsert[]): void {
    const byVehicle = new Map<string, TelemetryInsert[]>()
    let added = 0
    for (const row of rows) {
      if (row.vehicleId === null) continue
      let list = byVehicle.get(row.vehicleId)
      if (list === undefined) {
        if (this.options.wants && !this.options.wants(shardOfVehicle(row.vehicleId))) continue
        list = []
        byVehicle.set(row.vehicleId, list)
      }
      list.push(row)
      added += 1
    }
    if (added === 0 || added > this.options.maxPoints) return
    this.byXid.set(xid, byVehicle)
    this.points += added
    for (const [oldest, vehicles] of this.byXid) {
      if (this.points <= this.options.maxPoints) break
      for (const list of vehicles.values()) this.points -= list.length
      this.byXid.delete(oldest)
    }
  }

  /**
   * A span's points, as reading them back would answer them (float4 readings as stored; in the
   * batch's order: the caller sorts), and forgets them; undefined when they are not kept here.
   */
  take(xid: number, span: OutboxSpan): OutboxPoint[] | undefined {
    const vehicles = this.byXid.get(xid)
    const [vehicleId, orgId, fromMs, toMs] = span
    const rows = vehicles?.get(vehicleId)
    if (vehicles === undefined || rows === undefined) return undefined
    vehicles.delete(vehicleId)
    if (vehicles.size === 0) this.byXid.delete(xid)
    this.points -= rows.length
    const points: OutboxPoint[] = []
    for (const row of rows) {
      // The read back allows a millisecond either side of the span: the same here.
      if (row.orgId !== orgId || row.time < fromMs - 1 || row.time > toMs + 1) continue
      points.push(asStoredPoint(row, vehicleId))
    }
    return points
  }
}
