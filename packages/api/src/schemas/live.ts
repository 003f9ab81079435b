import { z } from 'zod'
import { ZId } from './common.ts'

const ZLiveId = z.string().regex(/^\d{1,16}-\d{1,16}$/, { error: 'Invalid event id' })

const ZBbox = z
  .tuple([
    z.number().min(-180).max(180),
    z.number().min(-90).max(90),
    z.number().min(-180).max(180),
    z.number().min(-90).max(90),
  ])
  .refine(([west, south, east, north]) => west <= east && south <= north, {
    error: 'bbox is [west, south, east, north]',
  })

export const ZLiveTelemetryInput = z.object({
  vehicleIds: z.array(ZId).min(1).max(1000).optional(),
  bbox: ZBbox.optional(),
  /** Resume after this event (tRPC's wsLink sends it on reconnect). */
  lastEventId: ZLiveId.nullish(),
})
export type TLiveTelemetryInput = z.infer<typeof ZLiveTelemetryInput>

export const ZFleetChangesInput = z.object({ lastEventId: ZLiveId.nullish() })
export type TFleetChangesInput = z.infer<typeof ZFleetChangesInput>

export const HISTORY_MAX_POINTS = 10_000
/** Longest range one history call may cover. */
export const HISTORY_MAX_DAYS = 92

export const ZTelemetryHistoryInput = z
  .object({
    vehicleId: ZId,
    from: z.coerce.date(),
    to: z.coerce.date(),
    maxPoints: z.number().int().min(10).max(HISTORY_MAX_POINTS).default(2000),
  })
  .refine((input) => input.from < input.to, { error: 'from must be before to', path: ['to'] })
  .refine((input) => input.to.getTime() - input.from.getTime() <= HISTORY_MAX_DAYS * 86_400_000, {
    error: `At most ${HISTORY_MAX_DAYS} days at once`,
    path: ['from'],
  })
export type TTelemetryHistoryInput = z.infer<typeof ZTelemetryHistoryInput>
