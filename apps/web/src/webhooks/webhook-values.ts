import { z } from 'zod'
import { ALERT_KINDS, formatAlertKind } from '../alerts/alert-kinds'
import type { RouterOutputs } from '../trpc'

export type TWebhook = RouterOutputs['webhooks']['list'][number]
export type TWebhookDelivery = RouterOutputs['webhooks']['deliveries'][number]

/** The name of the create form's checkbox for one alert kind. */
export function toKindFieldName(kind: string): string {
  return `kind-${kind}`
}

/** The create form's strings as the schema's input: ticked kinds as a list, the enabled box. */
export function readWebhookValues(values: Record<string, string>) {
  return {
    url: values.url ?? '',
    kinds: ALERT_KINDS.filter((kind) => values[toKindFieldName(kind)] === 'on'),
    isEnabled: values.isEnabled === 'on',
  }
}

/** `All alert kinds` for an empty list (the API sends every kind then), else their labels. */
export function describeKinds(kinds: readonly string[]): string {
  return kinds.length === 0 ? 'All alert kinds' : kinds.map(formatAlertKind).join(', ')
}

const ZDeliveryEvent = z.object({
  type: z.string(),
  alert: z.object({ kind: z.string() }).optional(),
})

/** What a delivery carried: `Test event`, `Alert: Overspeed`. */
export function describeDeliveryEvent(event: unknown): string {
  const parsed = ZDeliveryEvent.safeParse(event)
  if (!parsed.success) return 'Event'
  const { type, alert } = parsed.data
  if (type === 'test') return 'Test event'
  if (type === 'alert' && alert) return `Alert: ${formatAlertKind(alert.kind)}`
  return type
}

const STATUS_LABELS: Record<TWebhookDelivery['status'], string> = {
  pending: 'Pending',
  succeeded: 'Delivered',
  failed: 'Failed',
}

/** `Delivered`, `Failed`, `Pending` or `Retrying` (pending after a failed attempt). */
export function describeDeliveryStatus(delivery: Pick<TWebhookDelivery, 'status' | 'attempts'>) {
  if (delivery.status === 'pending' && delivery.attempts > 0) return 'Retrying'
  return STATUS_LABELS[delivery.status] ?? delivery.status
}
