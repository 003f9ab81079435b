import { z } from 'zod'
import { listInput, optionalText, ZId } from './common.ts'
import { ZLiveId } from './live.ts'

/** Longest a share link may live. */
export const SHARE_MAX_DAYS = 90
/** How far back a link may show history (`includeHistoryFrom`). */
export const SHARE_MAX_HISTORY_DAYS = 7
/** Most vehicles one link shows. */
export const SHARE_MAX_VEHICLES = 100

const DAY_MS = 86_400_000

export const ZCreateShareInput = z
  .object({
    vehicleIds: z
      .array(ZId)
      .min(1, { error: 'Choose at least one vehicle' })
      .max(SHARE_MAX_VEHICLES, { error: `At most ${SHARE_MAX_VEHICLES} vehicles` })
      .transform((ids) => [...new Set(ids)]),
    expiresAt: z.date({ error: 'Choose when the link expires' }),
    name: optionalText(100),
    /** Show the vehicles' track from this instant (before the link's creation); default: none. */
    includeHistoryFrom: z.date().nullish(),
  })
  .superRefine((input, ctx) => {
    const now = Date.now()
    if (input.expiresAt.getTime() <= now + 60_000) {
      ctx.addIssue({
        code: 'custom',
        path: ['expiresAt'],
        message: 'Must be at least a minute from now',
      })
    } else if (input.expiresAt.getTime() > now + SHARE_MAX_DAYS * DAY_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['expiresAt'],
        message: `At most ${SHARE_MAX_DAYS} days from now`,
      })
    }
    const from = input.includeHistoryFrom?.getTime()
    if (from !== undefined && (from > now || from < now - SHARE_MAX_HISTORY_DAYS * DAY_MS)) {
      ctx.addIssue({
        code: 'custom',
        path: ['includeHistoryFrom'],
        message: `Must be in the last ${SHARE_MAX_HISTORY_DAYS} days`,
      })
    }
  })
export type TCreateShareInput = z.infer<typeof ZCreateShareInput>

export const ZListSharesInput = listInput(['createdAt'] as const, 'createdAt', {
  /** Also expired and revoked links. */
  includeInactive: z.boolean().default(false),
})
export type TListSharesInput = z.infer<typeof ZListSharesInput>

/** `shared.live`: resume after this event (tRPC's wsLink sends it on reconnect). */
export const ZSharedLiveInput = z.object({ lastEventId: ZLiveId.nullish() })
export type TSharedLiveInput = z.infer<typeof ZSharedLiveInput>

/** The address a share link opens in the web app. */
export function sharePath(token: string): string {
  return `/#/share/${token}`
}
