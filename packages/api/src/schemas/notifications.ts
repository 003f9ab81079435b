import { ALERT_KINDS } from '@fms/engine'
import { z } from 'zod'
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, ZId } from './common.ts'
import { ZTimeZone } from './time-range.ts'

export const NOTIFICATION_CHANNELS = ['email', 'in_app'] as const
/** A user's subscriptions at most. */
export const MAX_SUBSCRIPTIONS_PER_USER = 50
/** Vehicles one subscription may name (more: subscribe to all). */
export const MAX_SUBSCRIPTION_VEHICLES = 500

/** A local time of day, `HH:MM` (24 h). */
export const ZTimeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'Use HH:MM, 00:00 to 23:59' })

export const ZQuietHours = z
  .object({ from: ZTimeOfDay, to: ZTimeOfDay })
  .refine((q) => q.from !== q.to, { error: 'Quiet hours must start and end at different times' })

const ZKinds = z
  .array(z.enum(ALERT_KINDS))
  .max(ALERT_KINDS.length)
  .transform((kinds) => [...new Set(kinds)])

const ZChannels = z
  .array(z.enum(NOTIFICATION_CHANNELS))
  .min(1, { error: 'Choose at least one channel' })
  .max(NOTIFICATION_CHANNELS.length)
  .transform((channels) => [...new Set(channels)])

const ZVehicleIds = z
  .array(ZId)
  .min(1, { error: 'Choose at least one vehicle, or null for all' })
  .max(MAX_SUBSCRIPTION_VEHICLES, {
    error: `At most ${MAX_SUBSCRIPTION_VEHICLES} vehicles; subscribe to all instead`,
  })
  .transform((ids) => [...new Set(ids)])
  .nullable()

const ZDigestMinutes = z
  .number()
  .int()
  .min(5, { error: 'At least 5 minutes' })
  .max(1440, { error: 'At most 1440 minutes (a day)' })
  .nullable()

const subscriptionFields = {
  /** Alert kinds; empty: every kind. */
  kinds: ZKinds,
  /** Null: every vehicle. */
  vehicleIds: ZVehicleIds,
  channels: ZChannels,
  /** The IANA zone quiet hours are read in (the web app sends the browser's). */
  timeZone: ZTimeZone,
  /** Emails due in these local hours wait for their end; null: none. */
  quietHours: ZQuietHours.nullable(),
  /** One email per this many minutes at most (a digest); null: one email per alert. */
  digestMinutes: ZDigestMinutes,
  isEnabled: z.boolean(),
}

export const ZCreateSubscriptionInput = z.object({
  kinds: subscriptionFields.kinds.default([]),
  vehicleIds: subscriptionFields.vehicleIds.default(null),
  channels: subscriptionFields.channels.default(['in_app', 'email']),
  timeZone: subscriptionFields.timeZone.default('UTC'),
  quietHours: subscriptionFields.quietHours.default(null),
  digestMinutes: subscriptionFields.digestMinutes.default(null),
  isEnabled: subscriptionFields.isEnabled.default(true),
})
export type TCreateSubscriptionInput = z.infer<typeof ZCreateSubscriptionInput>

export const ZUpdateSubscriptionInput = z.object({
  id: ZId,
  kinds: subscriptionFields.kinds.optional(),
  vehicleIds: subscriptionFields.vehicleIds.optional(),
  channels: subscriptionFields.channels.optional(),
  timeZone: subscriptionFields.timeZone.optional(),
  quietHours: subscriptionFields.quietHours.optional(),
  digestMinutes: subscriptionFields.digestMinutes.optional(),
  isEnabled: subscriptionFields.isEnabled.optional(),
})
export type TUpdateSubscriptionInput = z.infer<typeof ZUpdateSubscriptionInput>

export const ZListNotificationsInput = z
  .object({
    unreadOnly: z.boolean().default(false),
    cursor: z.string().max(512).optional(),
    limit: z.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT),
  })
  .prefault({})
export type TListNotificationsInput = z.infer<typeof ZListNotificationsInput>

/** Some notifications by id, or every unread one. */
export const ZMarkReadInput = z.union([
  z.object({ ids: z.array(ZId).min(1).max(PAGE_LIMIT_MAX) }),
  z.object({ all: z.literal(true) }),
])
export type TMarkReadInput = z.infer<typeof ZMarkReadInput>

/** Resumes like `alerts.live` (tRPC's wsLink sends `lastEventId` on reconnect). */
export { ZFleetChangesInput as ZNotificationsLiveInput } from './live.ts'
