import type { Database } from '@fms/db'
import type { TelemetryInsert } from '@fms/db/telemetry'
import {
  createLiveVehicle,
  type LiveVehicle,
  type RuleContext,
  type RulePoint,
  recordPoints,
  tickLive,
  toRulePoint,
} from '@fms/engine'
import type { LiveHub } from '@fms/live'
import { errorFields, logger } from '../logger.ts'
import { AlertChangeSet, storeAlertChanges } from './changes.ts'
import { replayFromStore } from './replay.ts'
import { RuleCache } from './rule-cache.ts'

export interface AlertProcessorOptions {
  /** How often vehicles in memory are ticked (offline alerts). */
  tickMs: number
  /** Vehicles whose engine state is kept in memory (least recently used evicted). */
  maxVehicles: number
  /** Points waiting for the engine at most; more are dropped (and logged). */
  maxQueueRows: number
  /** How long an organization's rules and geofences are cached. */
  ruleCacheMs: number
  /** Vehicles processed at once. */
  concurrency?: number
}

interface VehicleSlot {
  orgId: string
  vehicleId: string
  live: LiveVehicle
  pending: RulePoint[]
  isTickDue: boolean
  isBusy: boolean
}

/**
 * Runs the rules engine on the committed telemetry stream. The writer hands over each committed
 * batch (`enqueue`, never blocking); vehicles are processed asynchronously, one batch at a time
 * per vehicle and in commit order. Alert versions are upserted by key and retractions deleted,
 * with their webhook deliveries in the same transaction; each is then published on the live bus.
 */
export class AlertProcessor {
  private readonly slots = new Map<string, VehicleSlot>()
  private readonly ready = new Set<string>()
  private readonly rules: RuleCache
  private readonly concurrency: number
  private queuedRows = 0
  private active = 0
  private idleWaiters: (() => void)[] = []
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly db: Database,
    private readonly live: LiveHub,
    private readonly options: AlertProcessorOptions,
  ) {
    this.rules = new RuleCache(db, options.ruleCacheMs)
    this.concurrency = options.concurrency ?? 4
  }

  start(): void {
    this.timer ??= setInterval(() => this.tickAll(), this.options.tickMs)
    this.timer.unref()
  }

  /** Takes a committed batch; rows without a vehicle are skipped. Returns at once. */
  enqueue(rows: readonly TelemetryInsert[]): void {
    let dropped = 0
    for (const row of rows) {
      if (!row.vehicleId) continue
      if (this.queuedRows >= this.options.maxQueueRows) {
        dropped++
        continue
      }
      const slot = this.touch(row.orgId, row.vehicleId)
      slot.pending.push(toRulePoint(row))
      this.queuedRows++
      if (!slot.isBusy) this.ready.add(slot.vehicleId)
    }
    if (dropped > 0) logger.warn('alert queue full: points skipped by the rules', { dropped })
    this.pump()
  }

  /** Resolves once nothing is queued or running (tests, shutdown). */
  whenIdle(): Promise<void> {
    if (this.active === 0 && this.ready.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.whenIdle()
  }

  /** Marks every vehicle in memory for a tick at its next turn. */
  tickAll(): void {
    for (const slot of this.slots.values()) {
      slot.isTickDue = true
      if (!slot.isBusy) this.ready.add(slot.vehicleId)
    }
    this.pump()
  }

  private touch(orgId: string, vehicleId: string): VehicleSlot {
    let slot = this.slots.get(vehicleId)
    if (slot) {
      this.slots.delete(vehicleId)
    } else {
      slot = {
        orgId,
        vehicleId,
        live: createLiveVehicle(),
        pending: [],
        isTickDue: false,
        isBusy: false,
      }
    }
    this.slots.set(vehicleId, slot)
    this.evict()
    return slot
  }

  private evict(): void {
    for (const [id, slot] of this.slots) {
      if (this.slots.size <= this.options.maxVehicles) return
      if (slot.isBusy || slot.pending.length > 0) continue
      this.slots.delete(id)
      this.ready.delete(id)
    }
  }

  private pump(): void {
    while (this.active < this.concurrency && this.ready.size > 0) {
      const id = this.ready.values().next().value as string
      this.ready.delete(id)
      const slot = this.slots.get(id)
      if (!slot || slot.isBusy) continue
      slot.isBusy = true
      this.active++
      this.process(slot)
        .catch((error: unknown) => {
          logger.error('alert processing failed', { vehicleId: id, ...errorFields(error) })
        })
        .finally(() => {
          slot.isBusy = false
          this.active--
          if (slot.pending.length > 0 && this.slots.has(id)) this.ready.add(id)
          this.pump()
          if (this.active === 0 && this.ready.size === 0) {
            for (const resolve of this.idleWaiters.splice(0)) resolve()
          }
        })
    }
  }

  private async process(slot: VehicleSlot): Promise<void> {
    const points = slot.pending
    slot.pending = []
    this.queuedRows -= points.length
    const isTickDue = slot.isTickDue
    slot.isTickDue = false
    const { rules, geofences } = await this.rules.load(slot.orgId)
    const ctx: RuleContext = { vehicleId: slot.vehicleId, rules, geofences }
    const changes = new AlertChangeSet()
    if (points.length > 0) {
      const out = recordPoints(slot.live, points, ctx)
      slot.live = out.live
      changes.apply(out)
      if (out.needsReplayFrom !== null) {
        const replay = await replayFromStore(this.db, {
          orgId: slot.orgId,
          live: slot.live,
          from: out.needsReplayFrom,
          ctx,
          now: Date.now(),
        })
        slot.live = replay.live
        changes.apply({ alerts: replay.upserts, retracted: replay.retracted })
      }
    }
    if (isTickDue) {
      const out = tickLive(slot.live, Date.now(), ctx)
      slot.live = out.live
      changes.apply(out)
    }
    await storeAlertChanges({ db: this.db, live: this.live }, slot.orgId, changes)
  }
}
