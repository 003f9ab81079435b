import type { Database } from '@fms/db'
import { wireKey } from '@fms/testkit'
import type { LoadBatch } from './load.ts'
import { storedPointCounts } from './telemetry.ts'

/** What the database holds for a load run's points, for the "nothing lost, nothing extra" oracle. */
export interface StoredCheck {
  /** Points of acknowledged batches that are not stored. */
  lostAcknowledged: string[]
  /** Points stored more than once. */
  storedTwice: string[]
  /** Stored points of these devices that no batch of the run carried. */
  unexpected: string[]
  /** Points of the run (acknowledged or not) that are stored. */
  storedCount: number
  sentCount: number
}

export async function checkStored(
  db: Database,
  deviceIds: readonly string[],
  batches: readonly LoadBatch[],
): Promise<StoredCheck> {
  const stored = await storedPointCounts(db, deviceIds)
  const sent = new Set<string>()
  const lostAcknowledged: string[] = []
  for (const batch of batches) {
    for (const point of batch.points) {
      const key = wireKey(point)
      sent.add(key)
      if (batch.isAcknowledged && !stored.has(key)) lostAcknowledged.push(key)
    }
  }
  const storedTwice = [...stored].filter(([, copies]) => copies > 1).map(([key]) => key)
  const unexpected = [...stored.keys()].filter((key) => !sent.has(key))
  const storedCount = [...sent].filter((key) => stored.has(key)).length
  return { lostAcknowledged, storedTwice, unexpected, storedCount, sentCount: sent.size }
}
