import { z } from 'zod'
import { listInput, NO_NUL, NO_NUL_ERROR, ZId } from './common.ts'
import { ZInstant } from './time-range.ts'

export const COMMAND_TYPES = ['setReportInterval', 'custom'] as const
export type TCommandType = (typeof COMMAND_TYPES)[number]
export const COMMAND_STATUSES = [
  'queued',
  'sent',
  'acknowledged',
  'failed',
  'expired',
  'cancelled',
] as const
export type TCommandStatus = (typeof COMMAND_STATUSES)[number]

/** How long a command waits for its device when `expiresAt` is not given. */
export const COMMAND_DEFAULT_TTL_MS = 86_400_000
/** The latest `expiresAt` may be, from now. */
export const COMMAND_MAX_TTL_MS = 30 * 86_400_000
export const CUSTOM_COMMAND_MAX_LENGTH = 1000

/** Each type's payload: what the device is sent, and what it understands. */
export const ZCommandPayloads = {
  /** The device reports every `seconds`. */
  setReportInterval: z.strictObject({
    seconds: z
      .number({ error: 'seconds must be a number' })
      .int({ error: 'seconds must be whole' })
      .min(1, { error: 'At least 1 second' })
      .max(86_400, { error: 'At most 86400 seconds (a day)' }),
  }),
  /** Free text the device is handed as it is (its own command language). */
  custom: z.strictObject({
    text: z
      .string()
      .min(1, { error: 'Enter the text' })
      .max(CUSTOM_COMMAND_MAX_LENGTH, { error: `At most ${CUSTOM_COMMAND_MAX_LENGTH} characters` })
      .regex(NO_NUL, NO_NUL_ERROR),
  }),
} as const satisfies Record<TCommandType, z.ZodType>

const base = { deviceId: ZId, expiresAt: ZInstant.optional() }

/** `commands.send`: a command of a known type with its payload, for a device of the org. */
export const ZSendCommandInput = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('setReportInterval'),
    payload: ZCommandPayloads.setReportInterval,
  }),
  z.object({ ...base, type: z.literal('custom'), payload: ZCommandPayloads.custom }),
])
export type TSendCommandInput = z.infer<typeof ZSendCommandInput>

export const ZListCommandsInput = listInput(['createdAt'] as const, 'createdAt', {
  deviceId: ZId.optional(),
  status: z.enum(COMMAND_STATUSES).optional(),
})
export type TListCommandsInput = z.infer<typeof ZListCommandsInput>

/**
 * What a device is sent (the OsmAnd response body, the MQTT downlink payload), as JSON. The
 * device answers with the id: OsmAnd `ack=<id>` (with `ackError=<reason>` for a failure), MQTT a
 * message `{"id": "<id>", "ok": true | false, "result"?: "<text>"}` on `.../acks`.
 */
export interface TCommandMessage {
  id: string
  type: string
  payload: Record<string, unknown>
}

/** A device's answer to a command (MQTT `.../acks` payload). */
export const ZCommandAck = z.object({
  id: ZId,
  ok: z.boolean().default(true),
  result: z.string().max(500).regex(NO_NUL, NO_NUL_ERROR).optional(),
})
export type TCommandAck = z.infer<typeof ZCommandAck>
