import { z } from 'zod'
import { ZId } from './common.ts'
import { instantRange } from './time-range.ts'

export const ZLiveId = z.string().regex(/^\d{1,16}-\d{1,16}$/, { error: 'Invalid event id' })

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
  /**
   * `points` (default): frames of plain point objects. `compact`: about 45 bytes per vehicle
   * update (see `CompactLiveFrame`; read with `decodeCompactFrame`), for big fleets.
   */
  format: z.enum(['points', 'compact']).default('points'),
  /** Resume after this event (tRPC's wsLink sends it on reconnect). */
  lastEventId: ZLiveId.nullish(),
})
export type TLiveTelemetryInput = z.infer<typeof ZLiveTelemetryInput>

export const ZFleetChangesInput = z.object({ lastEventId: ZLiveId.nullish() })
export type TFleetChangesInput = z.infer<typeof ZFleetChangesInput>

export const HISTORY_MAX_POINTS = 10_000
/** Longest range one history call may cover. */
export const HISTORY_MAX_DAYS = 92

/** A vehicle's track over the instants [from, to) (see time-range.ts for the convention). */
export const ZTelemetryHistoryInput = instantRange(
  {
    vehicleId: ZId,
    maxPoints: z.number().int().min(10).max(HISTORY_MAX_POINTS).default(2000),
  },
  { maxDays: HISTORY_MAX_DAYS },
)
export type TTelemetryHistoryInput = z.infer<typeof ZTelemetryHistoryInput>

export const POINTS_LIMIT_DEFAULT = 1000
export const POINTS_LIMIT_MAX = 5000

/** Where a page of raw points ends: the (time, device) key of its last point, and its vehicle. */
export interface TelemetryPointsCursor {
  vehicleId: string
  time: Date
  deviceId: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const CURSOR_ERROR = 'Invalid cursor: pass the nextCursor of the previous page unchanged'

/** The opaque `nextCursor` of `telemetry.points` (base64url JSON; btoa keeps it browser-safe). */
export function encodeTelemetryPointsCursor(cursor: TelemetryPointsCursor): string {
  const json = JSON.stringify({ v: cursor.vehicleId, t: cursor.time.getTime(), d: cursor.deviceId })
  return btoa(json).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** The cursor `encodeTelemetryPointsCursor` wrote, or null for anything else. */
export function decodeTelemetryPointsCursor(raw: string): TelemetryPointsCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) return null
  try {
    const payload: unknown = JSON.parse(atob(raw.replace(/-/g, '+').replace(/_/g, '/')))
    if (typeof payload !== 'object' || payload === null) return null
    const { v, t, d } = payload as Record<string, unknown>
    if (typeof v !== 'string' || !UUID.test(v) || typeof d !== 'string' || !UUID.test(d)) {
      return null
    }
    if (typeof t !== 'number' || !Number.isSafeInteger(t) || Math.abs(t) > 8_640_000_000_000_000) {
      return null
    }
    return { vehicleId: v, time: new Date(t), deviceId: d }
  } catch {
    return null
  }
}

/**
 * One page of a vehicle's raw points in [from, to), in (time, device) order. `cursor` is the
 * previous page's `nextCursor`; it must come from the same vehicle and lie inside the range.
 */
export const ZTelemetryPointsInput = instantRange({
  vehicleId: ZId,
  limit: z
    .number()
    .int()
    .min(1, { error: 'limit must be at least 1' })
    .max(POINTS_LIMIT_MAX, { error: `limit must be at most ${POINTS_LIMIT_MAX}` })
    .default(POINTS_LIMIT_DEFAULT),
  cursor: z
    .string()
    .max(256, { error: CURSOR_ERROR })
    .transform((raw, ctx) => {
      const cursor = decodeTelemetryPointsCursor(raw)
      if (cursor === null) ctx.addIssue({ code: 'custom', message: CURSOR_ERROR })
      return cursor ?? z.NEVER
    })
    .nullish(),
}).superRefine((input, ctx) => {
  const { cursor } = input
  if (!cursor) return
  if (cursor.vehicleId !== input.vehicleId || cursor.time < input.from || cursor.time >= input.to) {
    ctx.addIssue({
      code: 'custom',
      message: 'Invalid cursor: it belongs to another vehicle or time range',
      path: ['cursor'],
    })
  }
})
export type TTelemetryPointsInput = z.infer<typeof ZTelemetryPointsInput>

/** Close codes of the live WebSocket (`/trpc`), defined in `@fms/live`; the web client reacts to them. */
export { WS_CLOSE } from '@fms/live/close-codes'
/** The compact live frame's reader, for browsers (`telemetry.live` with `format: 'compact'`). */
export {
  type CompactLiveFrame,
  decodeCompactFrame,
  readLiveFramePoints,
} from '@fms/live/compact'
