import { randomUUID } from 'node:crypto'
import type { Database } from '@fms/db'
import { insertActivityMarks, writeFoldedActivity } from '@fms/db/queries/activity-fold'
import {
  deleteOutboxRows,
  findOutboxBacklog,
  findRuleStates,
  findShardsWithRows,
  holdLeases,
  limitIdleInTransaction,
  type OutboxRow,
  type RuleStateRow,
  readOutbox,
  saveRuleStates,
} from '@fms/db/queries/rule-shards'
import { ACTIVITY_BUCKET_MS, type ActivitySpan } from '@fms/db/schema'
import type { CommittedBatches } from '@fms/db/telemetry'
import {
  type ActivityFoldState,
  createActivityFold,
  createLiveVehicle,
  type FoldedBucket,
  foldActivity,
  type LiveVehicle,
  type RuleContext,
  type RulePointInput,
  recordPoints,
  tickLive,
  type VehicleState,
} from '@fms/engine'
import type { LiveHub } from '@fms/live'
import { errorFields, logger } from '../logger.ts'
import {
  AlertChangeSet,
  publishAlertChanges,
  type WrittenAlerts,
  writeAlertChanges,
} from './changes.ts'
import {
  applyIdentifications,
  findIdentifiedPoints,
  type IdentifiedVehicle,
} from './driver-identification.ts'
import { replayFromStore } from './replay.ts'
import { RuleCache } from './rule-cache.ts'
import { ShardLeases } from './shard-leases.ts'

export interface RulesWorkerOptions {
  /** How often held vehicles are ticked (offline alerts). */
  tickMs: number
  /** How long an organization's rules and geofences are cached. */
  ruleCacheMs: number
  /** Lease lifetime: a dead node's shards move after at most this long. */
  leaseTtlMs?: number
  /** Lease upkeep (heartbeat, renew, balance) at most this far apart. */
  leaseEveryMs?: number
  /** Outbox rows read per shard per turn (each a committed batch's points of that shard). */
  batchRows?: number
  /** Pause when a pass found nothing to do. */
  idleMs?: number
  /** Turns worked on at once, each its own transaction on its own connection. */
  concurrency?: number
  /**
   * Most shards in one turn: their rows are read, and their work written, together (a few
   * statements a turn instead of a few a shard).
   */
  shardsPerTurn?: number
  /** Batches this node committed, so their points need not be read back (see CommittedBatches). */
  committed?: CommittedBatches
  /** The server sends email: notifications plan emails too. */
  isEmailEnabled?: boolean
  /** Reports per-shard backlog (rows, age of the oldest) for the metrics. */
  onBacklog?: (backlog: { shard: number; rows: number; oldestSec: number }[]) => void
}

interface HeldVehicle {
  orgId: string
  live: LiveVehicle
  /** The vehicle's activity fold; null until its first point here. */
  activity: ActivityFoldState | null
}

interface HeldShard {
  epoch: number
  vehicles: Map<string, HeldVehicle>
  isTickDue: boolean
}

/** What one vehicle's turn produced, to be written in the shard's transaction. */
interface VehicleOutcome {
  vehicleId: string
  vehicle: HeldVehicle
  changes: AlertChangeSet
  /** It consumed points (its state is saved), or only a tick looked at it. */
  hasPoints: boolean
  /** Activity buckets its points changed, written whole in the shard's transaction. */
  buckets: FoldedBucket[]
  /** Times whose buckets the refresher is to rebuild (late points, a warming fold). */
  repairs: [number, number][]
}

/** A held shard due for a turn; `isBusy`: it has outbox rows. */
interface TurnShard {
  shard: number
  held: HeldShard
  isBusy: boolean
}

/** A shard's computed turn, waiting to be written with the others of its turn. */
interface ShardWork {
  shard: number
  held: HeldShard
  rows: OutboxRow[]
  /** Its offline ticks ran (due again if the write fails). */
  isTickDue: boolean
  outcomes: VehicleOutcome[]
  /** Points that named their driver, per vehicle: applied to the driver timelines in the write. */
  identified: IdentifiedVehicle[]
}

class LeaseLostError extends Error {}

/** The longest pause between passes while the database fails. */
const MAX_BACKOFF_MS = 5000

/**
 * Runs the rules engine on the committed stream, partitioned across the cluster. The node holds
 * some of the 64 shards (`ShardLeases`); for each it reads the shard's outbox rows in id order,
 * steps every vehicle's points through the engine, and writes in one transaction, fenced by the
 * lease's epoch: the alert versions and retractions with their webhook deliveries, the vehicles'
 * engine state, and the deletion of the rows it consumed. So each committed point is processed
 * once in effect, in commit order per vehicle, on one node at a time; a node that dies leaves its
 * rows and states for the next owner, which continues where the last commit left off. Offline
 * ticks come from the shard's owner only.
 */
export class RulesWorker {
  readonly leases: ShardLeases
  private readonly rules: RuleCache
  private readonly shards = new Map<number, HeldShard>()
  private readonly options: Required<Omit<RulesWorkerOptions, 'onBacklog' | 'committed'>> &
    Pick<RulesWorkerOptions, 'onBacklog' | 'committed'>
  private loop: Promise<void> | undefined
  private isStopping = false
  private wake: (() => void) | undefined
  private lastLeaseAt = 0
  /** Lease work (heartbeat, balance) one at a time, whether from the timer or between passes. */
  private leaseWork: Promise<unknown> = Promise.resolve()
  private heartbeat: NodeJS.Timeout | undefined
  /** Shards whose last turn failed: skipped until the time given, with growing backoff. */
  private readonly failing = new Map<number, { failures: number; until: number }>()
  /** Where the next pass starts in the list of shards, so no shard always comes last. */
  private passOffset = 0
  private lastTickAt = Date.now()
  private lastBacklogAt = 0
  private idleWaiters: (() => void)[] = []

  constructor(
    private readonly db: Database,
    private readonly live: LiveHub,
    options: RulesWorkerOptions,
  ) {
    const leaseTtlMs = options.leaseTtlMs ?? 5000
    this.options = {
      leaseTtlMs,
      leaseEveryMs: Math.min(1000, leaseTtlMs / 3),
      batchRows: 50,
      idleMs: 100,
      concurrency: 4,
      shardsPerTurn: 16,
      isEmailEnabled: false,
      ...options,
    }
    this.rules = new RuleCache(db, options.ruleCacheMs)
    this.leases = new ShardLeases(db, randomUUID(), this.options.leaseTtlMs)
  }

  start(): void {
    this.loop ??= this.run()
    this.heartbeat ??= setInterval(() => {
      void this.serializeLeaseWork(async () => {
        const { lost } = await this.leases.renew()
        for (const shard of lost) this.shards.delete(shard)
      }).catch(() => {
        // The pass loop reports a database outage; a missed heartbeat costs at most the lease.
      })
    }, this.options.leaseEveryMs)
    this.heartbeat.unref()
  }

  private serializeLeaseWork<T>(work: () => Promise<T>): Promise<T> {
    const next = this.leaseWork.then(work, work)
    this.leaseWork = next.catch(() => {})
    return next
  }

  /** Whether this node holds the shard now (its rules engine works on it). */
  holds(shard: number): boolean {
    return this.shards.has(shard)
  }

  /** A hint that new rows were committed: the next pass starts now instead of after a pause. */
  nudge(): void {
    this.wake?.()
  }

  /** Resolves after the next pass that found nothing to do (tests, benchmarks). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve)
      this.nudge()
    })
  }

  /** Finishes the pass in flight, then gives every shard back so other nodes take over at once. */
  async close(): Promise<void> {
    this.isStopping = true
    clearInterval(this.heartbeat)
    this.nudge()
    await this.loop
    await this.leaseWork
    await this.leases.releaseAll().catch((error: unknown) => {
      logger.warn('releasing rule shards failed', errorFields(error))
    })
  }

  private async run(): Promise<void> {
    let failures = 0
    while (!this.isStopping) {
      let didWork = false
      try {
        await this.maintainLeases()
        this.markTicks()
        // One cheap query finds the held shards with work; an idle node asks only that.
        const busy = new Set(await findShardsWithRows(this.db, [...this.shards.keys()]))
        const now = Date.now()
        const held = [...this.shards]
        this.passOffset = (this.passOffset + 1) % Math.max(1, held.length)
        const due = [...held.slice(this.passOffset), ...held.slice(0, this.passOffset)].filter(
          ([shard, h]) =>
            (busy.has(shard) || h.isTickDue) && (this.failing.get(shard)?.until ?? 0) <= now,
        )
        // The due shards split into a few turns, each one transaction on its own connection.
        const turns = splitEvenly(
          due.map(([shard, h]) => ({ shard, held: h, isBusy: busy.has(shard) })),
          this.options.concurrency,
          this.options.shardsPerTurn,
        )
        await runEach(turns, this.options.concurrency, async (turn) => {
          if (this.isStopping) return
          if (await this.takeTurn(turn)) didWork = true
        })
        await this.reportBacklog()
        if (failures > 0) logger.info('rules passes resumed', { failedPasses: failures })
        failures = 0
      } catch (error) {
        // Once per outage, then quietly with backoff: the rows wait in the outbox meanwhile.
        if (failures === 0) logger.warn('rules pass failed; retrying', errorFields(error))
        failures += 1
        // Start again from what is stored: leases re-read, shards reloaded.
        this.lastLeaseAt = 0
        this.shards.clear()
        await this.pause(Math.min(MAX_BACKOFF_MS, this.options.idleMs * 2 ** failures))
        continue
      }
      if (!didWork) {
        for (const resolve of this.idleWaiters.splice(0)) resolve()
        await this.pause(this.options.idleMs)
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.wake = done
    })
  }

  /**
   * One turn over a few shards: their outbox rows read together, each shard's work computed, and
   * all of it written in one transaction. Failures are kept to their shard: a shard whose work
   * fails (a rule deleted under a cached copy, a replay that timed out) is left out of the write;
   * a write that fails is redone shard by shard, so only the failing shard is logged once, has its
   * memory dropped (reloaded from the stored states) and is retried with backoff, while the
   * others go on.
   */
  private async takeTurn(turn: readonly TurnShard[]): Promise<boolean> {
    let rows: OutboxRow[]
    try {
      const busy = turn.filter((t) => t.isBusy).map((t) => t.shard)
      rows = await readOutbox(this.db, {
        shards: busy,
        limit: this.options.batchRows,
        committed: this.options.committed,
      })
    } catch (error) {
      for (const { shard } of turn) this.fail(shard, error)
      return false
    }
    const rowsByShard = new Map<number, OutboxRow[]>()
    for (const row of rows) {
      const list = rowsByShard.get(row.shard)
      if (list) list.push(row)
      else rowsByShard.set(row.shard, [row])
    }
    const works: ShardWork[] = []
    for (const { shard, held } of turn) {
      try {
        const work = await this.computeShard(shard, held, rowsByShard.get(shard) ?? [])
        if (work) works.push(work)
      } catch (error) {
        this.fail(shard, error)
      }
    }
    if (works.length === 0) return false
    try {
      await this.commitWorks(works)
    } catch (error) {
      if (works.length === 1) {
        this.failWork(works[0] as ShardWork, error)
        return false
      }
      // Which shard failed is not known: each alone, so the others still land.
      for (const work of works) {
        await this.commitWorks([work]).catch((single: unknown) => this.failWork(work, single))
      }
    }
    return works.some((work) => this.shards.has(work.shard) && work.rows.length > 0)
  }

  /** A shard's work could not be written: nothing was, and its rows wait for a later turn. */
  private failWork(work: ShardWork, error: unknown): void {
    if (work.isTickDue) work.held.isTickDue = true
    if (error instanceof LeaseLostError) {
      this.shards.delete(work.shard)
      this.leases.drop(work.shard)
      logger.info('rule shard lost to another node', { shard: work.shard })
      return
    }
    this.fail(work.shard, error)
  }

  private fail(shard: number, error: unknown): void {
    const failures = (this.failing.get(shard)?.failures ?? 0) + 1
    if (failures === 1)
      logger.warn('rule shard turn failed; retrying', { shard, ...errorFields(error) })
    const backoff = Math.min(MAX_BACKOFF_MS, this.options.idleMs * 2 ** failures)
    this.failing.set(shard, { failures, until: Date.now() + backoff })
    this.shards.delete(shard)
    this.lastLeaseAt = 0
  }

  private async maintainLeases(): Promise<void> {
    if (Date.now() - this.lastLeaseAt < this.options.leaseEveryMs) return
    this.lastLeaseAt = Date.now()
    // Work is written in the turn that did it, so any shard may be given back between passes.
    const { gained, lost } = await this.serializeLeaseWork(() => this.leases.maintain())
    for (const shard of lost) this.shards.delete(shard)
    // Shards gained, and held shards whose memory was dropped after a failed pass, start from
    // their stored vehicle states.
    for (const lease of this.leases.leases) {
      if (this.shards.get(lease.shard)?.epoch === lease.epoch) continue
      const states = await findRuleStates(this.db, lease.shard)
      this.shards.set(lease.shard, {
        epoch: lease.epoch,
        vehicles: new Map(states.map((row) => [row.vehicleId, toHeldVehicle(row)])),
        isTickDue: true,
      })
    }
    if (gained.length > 0 || lost.length > 0) {
      logger.info('rule shards changed', {
        node: this.leases.nodeId,
        held: this.shards.size,
        gained: gained.length,
        lost: lost.length,
      })
    }
  }

  private markTicks(): void {
    if (Date.now() - this.lastTickAt < this.options.tickMs) return
    this.lastTickAt = Date.now()
    for (const held of this.shards.values()) held.isTickDue = true
  }

  /**
   * One shard's work: its outbox rows and, when due, its offline ticks, stepped through the
   * engine on copies of its vehicles. None when there is nothing to do.
   */
  private async computeShard(
    shard: number,
    held: HeldShard,
    rows: OutboxRow[],
  ): Promise<ShardWork | null> {
    // Ticks wait until the shard's backlog is worked off: a vehicle whose points are still in the
    // outbox is not silent.
    const isTickDue = held.isTickDue && rows.length < this.options.batchRows
    if (rows.length === 0 && !isTickDue) return null
    if (isTickDue) held.isTickDue = false
    const outcomes = new Map<string, VehicleOutcome>()
    const identified: IdentifiedVehicle[] = []
    try {
      for (const [vehicleId, points] of groupByVehicle(rows)) {
        const outcome = this.outcomeOf(held, outcomes, vehicleId, points.orgId)
        outcome.hasPoints = true
        await this.step(outcome, points.points)
        const named = findIdentifiedPoints(points.points)
        if (named.length > 0) identified.push({ orgId: points.orgId, vehicleId, points: named })
      }
      if (isTickDue) {
        for (const [vehicleId, vehicle] of held.vehicles) {
          const outcome = this.outcomeOf(held, outcomes, vehicleId, vehicle.orgId)
          await this.tick(outcome)
        }
      }
    } catch (error) {
      if (isTickDue) held.isTickDue = true
      throw error
    }
    return { shard, held, rows, isTickDue, outcomes: [...outcomes.values()], identified }
  }

  private outcomeOf(
    held: HeldShard,
    outcomes: Map<string, VehicleOutcome>,
    vehicleId: string,
    orgId: string,
  ): VehicleOutcome {
    let outcome = outcomes.get(vehicleId)
    if (!outcome) {
      const vehicle = held.vehicles.get(vehicleId) ?? {
        orgId,
        live: createLiveVehicle(),
        activity: null,
      }
      // Work on a copy: the held vehicle changes only once the transaction commits.
      outcome = {
        vehicleId,
        vehicle: { ...vehicle },
        changes: new AlertChangeSet(),
        hasPoints: false,
        buckets: [],
        repairs: [],
      }
      outcomes.set(vehicleId, outcome)
    }
    return outcome
  }

  private async contextOf(outcome: VehicleOutcome): Promise<RuleContext> {
    const { rules, geofences } = await this.rules.load(outcome.vehicle.orgId)
    return { vehicleId: outcome.vehicleId, rules, geofences }
  }

  private async step(outcome: VehicleOutcome, points: RulePointInput[]): Promise<void> {
    const ctx = await this.contextOf(outcome)
    const { vehicle, changes } = outcome
    this.fold(outcome, points)
    const out = recordPoints(vehicle.live, points, ctx)
    vehicle.live = out.live
    changes.apply(out)
    if (out.needsReplayFrom !== null) {
      const consumed = Math.max(vehicle.live.state.lastTime ?? 0, ...points.map((p) => p.time))
      const replay = await replayFromStore(this.db, {
        orgId: vehicle.orgId,
        live: vehicle.live,
        from: out.needsReplayFrom,
        ctx,
        now: Date.now(),
        // What this vehicle has consumed so far: later stored points still wait in the outbox.
        until: consumed + 1,
      })
      vehicle.live = replay.live
      changes.apply({ alerts: replay.upserts, retracted: replay.retracted })
    }
  }

  /**
   * Folds the points into the vehicle's activity buckets (`foldActivity`). A vehicle new to the
   * rules engine has no earlier points, so its fold owns its buckets from the first; any other
   * without a fold (stored before folds existed) starts one that warms up first.
   */
  private fold(outcome: VehicleOutcome, points: readonly RulePointInput[]): void {
    const { vehicle } = outcome
    const first = Math.min(...points.map((p) => p.time))
    const hasHistory = vehicle.live.state.lastTime !== null
    const state =
      vehicle.activity ?? createActivityFold(first, { bucketMs: ACTIVITY_BUCKET_MS, hasHistory })
    const out = foldActivity(state, points)
    vehicle.activity = out.state
    // A later batch of the same turn rewrites a bucket whole: the last version wins.
    const byStart = new Map(outcome.buckets.map((b) => [b.bucket, b]))
    for (const bucket of out.buckets) byStart.set(bucket.bucket, bucket)
    outcome.buckets = [...byStart.values()]
    if (out.repair) outcome.repairs.push(out.repair)
  }

  private async tick(outcome: VehicleOutcome): Promise<void> {
    const ctx = await this.contextOf(outcome)
    const out = tickLive(outcome.vehicle.live, Date.now(), ctx)
    outcome.vehicle.live = out.live
    outcome.changes.apply(out)
  }

  /**
   * One transaction for the turn: the leases still ours, then alerts, engine states and the
   * consumed rows of every shard. The held vehicles take their new state only after the commit,
   * then the alerts are published. Throws LeaseLostError (and writes nothing) when a shard's
   * lease has moved on.
   */
  private async commitWorks(works: readonly ShardWork[]): Promise<void> {
    // Points save every vehicle they moved; a tick only the vehicles whose alerts it changed.
    const touched = works.flatMap((work) =>
      work.outcomes
        .filter((o) => o.hasPoints || !o.changes.isEmpty)
        .map((outcome) => ({ shard: work.shard, outcome })),
    )
    const rowIds = works.flatMap((work) => work.rows.map((row) => row.id))
    let written: WrittenAlerts[] = []
    if (touched.length > 0 || rowIds.length > 0) {
      const byOrg = new Map<string, AlertChangeSet>()
      for (const { outcome } of touched) {
        const set = byOrg.get(outcome.vehicle.orgId) ?? new AlertChangeSet()
        set.apply({
          alerts: [...outcome.changes.upserts.values()],
          retracted: [...outcome.changes.retracted],
        })
        byOrg.set(outcome.vehicle.orgId, set)
      }
      written = await this.db.transaction(async (tx) => {
        // A node that dies mid-transaction without closing its connection must not keep the
        // lease rows locked (other nodes skip locked rows) for as long as TCP takes to notice.
        await limitIdleInTransaction(tx, this.options.leaseTtlMs)
        const held = await holdLeases(tx, {
          nodeId: this.leases.nodeId,
          leases: works.map((work) => ({ shard: work.shard, epoch: work.held.epoch })),
        })
        const lost = works.filter((work) => !held.has(work.shard))
        if (lost.length > 0) {
          throw new LeaseLostError(`shards ${lost.map((w) => w.shard).join(', ')} no longer held`)
        }
        // Driver timelines move with the points that named a driver, in the same transaction.
        const unknownDrivers = await applyIdentifications(
          tx,
          works.flatMap((work) => work.identified),
        )
        for (const [orgId, alerts] of unknownDrivers) {
          const set = byOrg.get(orgId) ?? new AlertChangeSet()
          set.apply({ alerts })
          byOrg.set(orgId, set)
        }
        const results: WrittenAlerts[] = []
        for (const [orgId, changes] of byOrg)
          results.push(
            await writeAlertChanges(tx, orgId, changes, {
              isEmailEnabled: this.options.isEmailEnabled,
            }),
          )
        await saveRuleStates(
          tx,
          touched.map(
            ({ shard, outcome }): RuleStateRow => ({
              vehicleId: outcome.vehicleId,
              orgId: outcome.vehicle.orgId,
              shard,
              state: outcome.vehicle.live.state,
              activity: outcome.vehicle.activity,
            }),
          ),
        )
        // The activity buckets the points changed, and the spans left to the refresher.
        const outcomes = touched.map(({ outcome }) => outcome)
        await writeFoldedActivity(
          tx,
          outcomes.map((o) => ({
            orgId: o.vehicle.orgId,
            vehicleId: o.vehicleId,
            buckets: o.buckets,
          })),
        )
        await insertActivityMarks(
          tx,
          outcomes.flatMap((o) =>
            o.repairs.map(([from, to]) => ({
              orgId: o.vehicle.orgId,
              span: [o.vehicleId, from, to] as ActivitySpan,
            })),
          ),
        )
        const deleted = await deleteOutboxRows(tx, rowIds)
        // Someone else consumed them (cannot happen while the leases fence writes): roll back.
        if (deleted !== rowIds.length) throw new Error('outbox rows already consumed')
        return results
      })
    }
    for (const work of works) {
      for (const o of work.outcomes) work.held.vehicles.set(o.vehicleId, o.vehicle)
      if (this.failing.delete(work.shard)) logger.info('rule shard resumed', { shard: work.shard })
    }
    for (const alerts of written) publishAlertChanges(this.live, alerts)
  }

  private async reportBacklog(): Promise<void> {
    if (!this.options.onBacklog || Date.now() - this.lastBacklogAt < 5000) return
    this.lastBacklogAt = Date.now()
    const shards = [...this.shards.keys()]
    const found = await findOutboxBacklog(this.db, shards)
    const byShard = new Map(found.map((row) => [row.shard, row]))
    this.options.onBacklog(
      shards.map((shard) => byShard.get(shard) ?? { shard, rows: 0, oldestSec: 0 }),
    )
  }
}

function toHeldVehicle(row: RuleStateRow): HeldVehicle {
  const state = row.state as VehicleState
  const activity = (row.activity ?? null) as ActivityFoldState | null
  return { orgId: row.orgId, live: { state, checkpoints: [state] }, activity }
}

/** The rows' points per vehicle, rows in id order (commit order, near enough) and each in time order. */
function groupByVehicle(rows: readonly OutboxRow[]) {
  const byVehicle = new Map<string, { orgId: string; points: RulePointInput[] }>()
  for (const row of rows) {
    for (const point of row.points) {
      const entry = byVehicle.get(point.vehicleId) ?? { orgId: point.orgId, points: [] }
      entry.points.push(point)
      byVehicle.set(point.vehicleId, entry)
    }
  }
  return byVehicle
}

/**
 * The items in at most `parts` lists of near-equal length, none longer than `most` (more lists
 * then), in order.
 */
function splitEvenly<T>(items: readonly T[], parts: number, most: number): T[][] {
  if (items.length === 0) return []
  const count = Math.max(Math.min(parts, items.length), Math.ceil(items.length / Math.max(1, most)))
  const size = Math.ceil(items.length / count)
  const lists: T[][] = []
  for (let from = 0; from < items.length; from += size) lists.push(items.slice(from, from + size))
  return lists
}

/**
 * Runs `task` over `items`, at most `limit` at once. Waits for every started task before it
 * rejects with the first failure, so no turn of a shard outlives its pass.
 */
async function runEach<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0
  let failure: { error: unknown } | undefined
  const lane = async () => {
    while (next < items.length && !failure) {
      const item = items[next++] as T
      await task(item).catch((error: unknown) => {
        failure ??= { error }
      })
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
  if (failure) throw failure.error
}
