import type { Database } from '@fms/db'
import {
  beatNode,
  claimLeases,
  forgetNode,
  releaseLeases,
  renewLeases,
  type ShardLease,
} from '@fms/db/queries/rule-shards'
import { RULE_SHARDS } from '@fms/db/schema'

export interface LeaseChanges {
  /** Shards newly held (a new epoch each). */
  gained: ShardLease[]
  /** Shards no longer held: lost to expiry or given back for the balance. */
  lost: number[]
}

/**
 * One node's share of the shards. Each `maintain()` beats the node's heartbeat, renews what it
 * holds, gives back what is above its fair share (`ceil(shards / live nodes)`) and takes free or
 * expired shards up to it. A node that stops beating loses its shards when their leases expire
 * (`ttlMs`); a joining node gets shards as the others give theirs back. Lease times are the
 * database's clock.
 */
export class ShardLeases {
  private held = new Map<number, number>()

  constructor(
    private readonly db: Database,
    readonly nodeId: string,
    private readonly ttlMs: number,
  ) {}

  /** The shards held now, with their epochs. */
  get leases(): ShardLease[] {
    return [...this.held].map(([shard, epoch]) => ({ shard, epoch }))
  }

  epochOf(shard: number): number | undefined {
    return this.held.get(shard)
  }

  /**
   * The heartbeat: beats the node's heartbeat and renews what it holds. Answers the shards it
   * lost (expired before the renewal, or taken). Runs on its own timer, so a long pass of work
   * never lets the leases lapse.
   */
  async renew(): Promise<{ nodes: number; lost: number[] }> {
    const nodes = await beatNode(this.db, { nodeId: this.nodeId, ttlMs: this.ttlMs })
    const renewed = await renewLeases(this.db, { nodeId: this.nodeId, ttlMs: this.ttlMs })
    const before = this.held
    this.held = new Map(
      renewed.filter((l) => before.get(l.shard) === l.epoch).map((l) => [l.shard, l.epoch]),
    )
    // A renewed lease this node did not know it held (a claim whose answer was lost) is given
    // back: its work in memory is not this node's.
    const strays = renewed.filter((l) => before.get(l.shard) !== l.epoch).map((l) => l.shard)
    if (strays.length > 0) await releaseLeases(this.db, { nodeId: this.nodeId, shards: strays })
    return { nodes, lost: [...before.keys()].filter((shard) => !this.held.has(shard)) }
  }

  /**
   * One round of lease upkeep between passes of work: renews, gives back what is above the fair
   * share (`ceil(shards / live nodes)`) and takes free or expired shards up to it.
   */
  async maintain(): Promise<LeaseChanges> {
    const { nodes, lost } = await this.renew()
    const fairShare = Math.ceil(RULE_SHARDS / nodes)
    const surplus = [...this.held.keys()]
      .sort((a, b) => b - a)
      .slice(0, Math.max(0, this.held.size - fairShare))
    if (surplus.length > 0) {
      await releaseLeases(this.db, { nodeId: this.nodeId, shards: surplus })
      for (const shard of surplus) this.held.delete(shard)
      lost.push(...surplus)
    }
    const gained = await claimLeases(this.db, {
      nodeId: this.nodeId,
      ttlMs: this.ttlMs,
      count: fairShare - this.held.size,
    })
    for (const lease of gained) this.held.set(lease.shard, lease.epoch)
    return { gained, lost }
  }

  /** Gives every shard back and leaves the cluster (a clean shutdown: others take over at once). */
  async releaseAll(): Promise<void> {
    const shards = [...this.held.keys()]
    this.held.clear()
    await releaseLeases(this.db, { nodeId: this.nodeId, shards })
    await forgetNode(this.db, this.nodeId)
  }

  /** Forgets a shard whose fenced write found the lease gone. */
  drop(shard: number): void {
    this.held.delete(shard)
  }
}
