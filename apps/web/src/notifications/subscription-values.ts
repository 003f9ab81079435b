import { NOTIFICATION_CHANNELS } from '@fms/api/schemas'
import { ALERT_KINDS } from '../alerts/alert-kinds'
import { VEHICLE_CHECKBOXES } from '../lib/id-checkboxes'
import type { RouterOutputs } from '../trpc'
import { toKindFieldName } from '../webhooks/webhook-values'

export type TSubscription = RouterOutputs['notifications']['subscriptions']['list'][number]
export type TChannel = (typeof NOTIFICATION_CHANNELS)[number]

const CHANNEL_LABELS: Record<TChannel, string> = { in_app: 'In app', email: 'Email' }

export const CHANNEL_OPTIONS = NOTIFICATION_CHANNELS.map((channel) => ({
  value: channel,
  label: CHANNEL_LABELS[channel],
}))

/** The form's checkbox for one vehicle. */
export const toVehicleFieldName = VEHICLE_CHECKBOXES.fieldName

/** The form's checkbox for one channel. */
export function toChannelFieldName(channel: TChannel): string {
  return `channel-${channel}`
}

/**
 * The subscription form's strings as the schema's input: ticked kinds (none: every kind), the
 * ticked vehicles or null for all, ticked channels, quiet hours (both blank: none), digest
 * minutes (blank: one email per alert).
 */
export function readSubscriptionValues(values: Record<string, string>) {
  const isTicked = (name: string) => values[name] === 'on'
  const quietFrom = values.quietFrom ?? ''
  const quietTo = values.quietTo ?? ''
  const digest = values.digestMinutes?.trim() ?? ''
  return {
    kinds: ALERT_KINDS.filter((kind) => isTicked(toKindFieldName(kind))),
    vehicleIds: values.vehicleScope === 'chosen' ? VEHICLE_CHECKBOXES.readTicked(values) : null,
    channels: NOTIFICATION_CHANNELS.filter((channel) => isTicked(toChannelFieldName(channel))),
    timeZone: values.timeZone?.trim() ?? '',
    quietHours: quietFrom === '' && quietTo === '' ? null : { from: quietFrom, to: quietTo },
    digestMinutes: digest === '' ? null : Number(digest),
    isEnabled: isTicked('isEnabled'),
  }
}

/** The vehicle field's errors in words: an empty choice means "choose one, or all vehicles". */
export function toVehicleErrors(errors: string[] | undefined): string[] | undefined {
  return errors?.map((error) =>
    error.startsWith('Choose at least one vehicle')
      ? 'Choose at least one vehicle, or all vehicles'
      : error,
  )
}

/** `All vehicles`, or the chosen vehicles' codes. */
export function describeVehicles(
  vehicleIds: readonly string[] | null,
  codes: ReadonlyMap<string, string>,
): string {
  if (vehicleIds === null) return 'All vehicles'
  return vehicleIds.map((id) => codes.get(id) ?? 'Unknown vehicle').join(', ')
}

/** `In app, Email`; email marked off when the server sends none. */
export function describeChannels(channels: readonly string[], isEmailEnabled: boolean): string {
  return channels
    .map((channel) => {
      if (channel === 'email' && !isEmailEnabled) return 'Email (off on this server)'
      return CHANNEL_LABELS[channel as TChannel] ?? channel
    })
    .join(', ')
}

/** `22:00–07:00 (Europe/Berlin)`, `None`. */
export function describeQuietHours(
  quietHours: { from: string; to: string } | null,
  timeZone: string,
): string {
  if (!quietHours) return 'None'
  const nextDay = quietHours.to < quietHours.from ? ' next day' : ''
  return `${quietHours.from}–${quietHours.to}${nextDay} (${timeZone})`
}

/** `One email per alert`, `At most one email per 30 min`, `… per hour`, `… per day`. */
export function describeDigest(digestMinutes: number | null): string {
  if (digestMinutes === null) return 'One email per alert'
  if (digestMinutes === 60) return 'At most one email per hour'
  if (digestMinutes === 1440) return 'At most one email per day'
  return `At most one email per ${digestMinutes} min`
}
