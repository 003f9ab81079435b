import { ALERT_KINDS, RULE_KINDS } from '@fms/engine'

export { ALERT_KINDS, RULE_KINDS }

import { z } from 'zod'
import { listInput, NO_NUL, NO_NUL_ERROR, ZId } from './common.ts'
import { ZInstant } from './time-range.ts'

const ZLat = z.number().min(-90).max(90)
const ZLon = z.number().min(-180).max(180)

export const ZGeofenceShape = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('circle'),
    lat: ZLat,
    lon: ZLon,
    radiusM: z
      .number()
      .min(10, { error: 'At least 10 m' })
      .max(100_000, { error: 'At most 100 km' }),
  }),
  z.object({
    type: z.literal('polygon'),
    points: z
      .array(z.tuple([ZLat, ZLon]))
      .min(3, { error: 'A polygon needs at least 3 points' })
      .max(500, { error: 'At most 500 points' }),
  }),
])

const ZGeofenceName = z
  .string()
  .trim()
  .min(1, { error: 'Enter a name' })
  .max(100, { error: 'At most 100 characters' })
  .regex(NO_NUL, NO_NUL_ERROR)

export const ZCreateGeofenceInput = z.object({ name: ZGeofenceName, shape: ZGeofenceShape })
export type TCreateGeofenceInput = z.infer<typeof ZCreateGeofenceInput>
export const ZUpdateGeofenceInput = z.object({
  id: ZId,
  name: ZGeofenceName.optional(),
  shape: ZGeofenceShape.optional(),
})
export type TUpdateGeofenceInput = z.infer<typeof ZUpdateGeofenceInput>
export const ZListGeofencesInput = listInput(['createdAt', 'name'] as const, 'createdAt')
export type TListGeofencesInput = z.infer<typeof ZListGeofencesInput>

const ZRuleFields = z.object({
  kind: z.enum(RULE_KINDS),
  threshold: z.number().min(-1000).max(100_000).nullable().optional(),
  durationSec: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .nullable()
    .optional(),
  vehicleId: ZId.nullable().optional(),
  geofenceId: ZId.nullable().optional(),
  isEnabled: z.boolean().optional(),
})

export const ZCreateRuleInput = ZRuleFields
export type TCreateRuleInput = z.infer<typeof ZCreateRuleInput>
export const ZUpdateRuleInput = ZRuleFields.partial().extend({ id: ZId })
export type TUpdateRuleInput = z.infer<typeof ZUpdateRuleInput>
export const ZListRulesInput = listInput(['createdAt'] as const, 'createdAt', {
  vehicleId: ZId.optional(),
})
export type TListRulesInput = z.infer<typeof ZListRulesInput>

export const ZListAlertsInput = listInput(['time'] as const, 'time', {
  vehicleId: ZId.optional(),
  kind: z.enum(ALERT_KINDS).optional(),
  from: ZInstant.optional(),
  to: ZInstant.optional(),
  isAcknowledged: z.boolean().optional(),
})
export type TListAlertsInput = z.infer<typeof ZListAlertsInput>
