import { createIdCheckboxes, VEHICLE_CHECKBOXES } from '../lib/id-checkboxes'
import type { RouterOutputs } from '../trpc'

export type TReportSchedules = RouterOutputs['reports']['schedules']['list']
export type TReportSchedule = TReportSchedules['items'][number]

const RECIPIENT_CHECKBOXES = createIdCheckboxes('recipient-')

/** The form's checkbox names for one recipient and one vehicle. */
export const toRecipientFieldName = RECIPIENT_CHECKBOXES.fieldName
export const toVehicleFieldName = VEHICLE_CHECKBOXES.fieldName

/**
 * The form's strings as the schema's input: a blank zone is the organization's (null), ticked
 * recipients and vehicles as lists, no vehicle ticked: every vehicle (null).
 */
export function readScheduleValues(values: Record<string, string>) {
  const vehicleIds = VEHICLE_CHECKBOXES.readTicked(values)
  return {
    name: values.name ?? '',
    frequency: values.frequency,
    sendHour:
      values.sendHour === undefined || values.sendHour === '' ? undefined : Number(values.sendHour),
    timeZone: values.timeZone ? values.timeZone : null,
    recipientUserIds: RECIPIENT_CHECKBOXES.readTicked(values),
    vehicleIds: vehicleIds.length > 0 ? vehicleIds : null,
    isEnabled: values.isEnabled === 'on',
  }
}

const FREQUENCY_LABELS = {
  daily: 'Daily',
  weekly: 'Weekly (Mondays)',
  monthly: 'Monthly (on the 1st)',
} as const

export const FREQUENCY_OPTIONS = Object.entries(FREQUENCY_LABELS).map(([value, label]) => ({
  value,
  label,
}))

export const formatHour = (hour: number) => `${String(hour).padStart(2, '0')}:00`

export const SEND_HOUR_OPTIONS = Array.from({ length: 24 }, (_, hour) => ({
  value: String(hour),
  label: formatHour(hour),
}))

/** `Daily at 06:00, Europe/Berlin`: when the schedule sends, in its zone or the organization's. */
export function describeTiming(
  schedule: Pick<TReportSchedule, 'frequency' | 'sendHour' | 'timeZone'>,
  orgTimeZone: string,
) {
  const zone = schedule.timeZone ?? `${orgTimeZone} (organization)`
  return `${FREQUENCY_LABELS[schedule.frequency]} at ${formatHour(schedule.sendHour)}, ${zone}`
}
