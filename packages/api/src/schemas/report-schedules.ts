import { REPORT_FREQUENCIES } from '@fms/engine'
import { z } from 'zod'
import { requiredName, ZId } from './common.ts'
import { ZTimeZone } from './time-range.ts'

/** Most schedules per organization, recipients per schedule and vehicles per schedule. */
export const MAX_REPORT_SCHEDULES_PER_ORG = 50
export const MAX_REPORT_RECIPIENTS = 50
export const MAX_REPORT_SCHEDULE_VEHICLES = 1000

const unique = (ids: string[]) => [...new Set(ids)]

const fields = {
  name: requiredName(100),
  frequency: z.enum(REPORT_FREQUENCIES),
  /** An IANA zone; null or left out: the organization's (followed when it changes). */
  timeZone: ZTimeZone.nullable(),
  sendHour: z.number().int().min(0).max(23),
  recipientUserIds: z
    .array(ZId)
    .min(1, { error: 'Pick at least one recipient' })
    .max(MAX_REPORT_RECIPIENTS, { error: `At most ${MAX_REPORT_RECIPIENTS} recipients` })
    .transform(unique),
  /** Null or left out: every vehicle of the organization. */
  vehicleIds: z
    .array(ZId)
    .min(1, { error: 'Pick at least one vehicle, or leave it to all vehicles' })
    .max(MAX_REPORT_SCHEDULE_VEHICLES, {
      error: `At most ${MAX_REPORT_SCHEDULE_VEHICLES} vehicles`,
    })
    .transform(unique)
    .nullable(),
  isEnabled: z.boolean(),
}

export const ZCreateReportScheduleInput = z.object({
  ...fields,
  timeZone: fields.timeZone.default(null),
  sendHour: fields.sendHour.default(6),
  vehicleIds: fields.vehicleIds.default(null),
  isEnabled: fields.isEnabled.default(true),
})
export type TCreateReportScheduleInput = z.infer<typeof ZCreateReportScheduleInput>

export const ZUpdateReportScheduleInput = z.object({
  id: ZId,
  name: fields.name.optional(),
  frequency: fields.frequency.optional(),
  timeZone: fields.timeZone.optional(),
  sendHour: fields.sendHour.optional(),
  recipientUserIds: fields.recipientUserIds.optional(),
  vehicleIds: fields.vehicleIds.optional(),
  isEnabled: fields.isEnabled.optional(),
})
export type TUpdateReportScheduleInput = z.infer<typeof ZUpdateReportScheduleInput>
