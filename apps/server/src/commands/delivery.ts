import { type TCommandAck, type TCommandMessage, ZCommandAck } from '@fms/api/schemas'
import type { Database } from '@fms/db'
import { answerCommand, claimCommand, unclaimCommand } from '@fms/db/queries/device-commands'
import type { CommandChannel } from '@fms/db/schema'

/**
 * Commands on their way to devices. A device's report (an OsmAnd request, an MQTT message) takes
 * its oldest due command; the claim marks it sent in the same statement, so with several nodes
 * each command goes out once. The device answers with the command's id.
 */
export interface CommandDelivery {
  /** The device's next due command, now marked sent over `channel`; null when none is due. */
  take(deviceId: string, channel: CommandChannel): Promise<TCommandMessage | null>
  /** Puts a taken command back (it could not be handed over). */
  release(id: string): Promise<void>
  /** Records the device's answer; false for an id that is not a sent command of this device. */
  answer(deviceId: string, ack: TCommandAck): Promise<boolean>
}

export function createCommandDelivery(db: Database): CommandDelivery {
  return {
    take: (deviceId, channel) => claimCommand(db, { deviceId, channel }),
    release: (id) => unclaimCommand(db, { id }),
    answer: (deviceId, ack) =>
      answerCommand(db, { deviceId, id: ack.id, isOk: ack.ok, result: ack.result ?? null }),
  }
}

/** The ack a device's report carries, or null (none, or not a valid ack: ignored). */
export function readAck(value: unknown): TCommandAck | null {
  if (value === undefined || value === null) return null
  const parsed = ZCommandAck.safeParse(value)
  return parsed.success ? parsed.data : null
}
