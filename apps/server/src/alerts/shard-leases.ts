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
   * One round of lease upkeep. `canRelease(shard)` says whether a shard above the fair share may
   * be given back now (its work is saved).
   */
  async maintain(canRelease: (shard: number) => boolean = () => true): Promise<LeaseChanges> {
    const nodes = await beatNode(this.db, { nodeId: this.nodeId, ttlMs: this.ttlMs })
    const renewed = await renewLeases(this.db, { nodeId: this.nodeId, ttlMs: this.ttlMs })
    const before = this.held
    this.held = new Map(
      renewed.filter((l) => before.get(l.shard) === l.epoch).map((l) => [l.shard, l.epoch]),
    )
    const lost = [...before.keys()].filter((shard) => !this.held.has(shard))
    // A renewed lease this node did not know it held (an epoch from before a restart) is given
    // back: its work in memory is not this node's.
    const strays = renewed.filter((l) => before.get(l.shard) !== l.epoch).map((l) => l.shard)
    const fairShare = Math.ceil(RULE_SHARDS / nodes)
    const surplus = [...this.held.keys()]
      .sort((a, b) => b - a)
      .slice(0, Math.max(0, this.held.size - fairShare))
      .filter(canRelease)
    const giveBack = [...strays, ...surplus]
    if (giveBack.length > 0) {
      await releaseLeases(this.db, { nodeId: this.nodeId, shards: giveBack })
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
