import { useQuery } from '@tanstack/react-query'
import { useId } from 'react'
import { DataTable } from '../components/data-table'
import { formatDateTime } from '../lib/format'
import { useTRPC } from '../trpc'
import {
  describeDeliveryEvent,
  describeDeliveryStatus,
  type TWebhook,
  type TWebhookDelivery,
} from './webhook-values'

/** Deliveries shown per webhook: the newest ones, as the API keeps them in order. */
const DELIVERIES_LIMIT = 25
const DELIVERY_COLUMNS = [
  'Queued',
  'Event',
  'Status',
  'Attempts',
  'Response',
  'Error',
  'Delivered or next attempt',
]
/** While a delivery is still pending, look again this often. */
const PENDING_REFRESH_MS = 2_000

function hasPending(deliveries: readonly TWebhookDelivery[] | undefined): boolean {
  return deliveries?.some((delivery) => delivery.status === 'pending') ?? false
}

/** One webhook's recent deliveries: what was sent, how it went, and why it failed. */
export function WebhookDeliveries({
  webhook,
  onClose,
}: {
  webhook: TWebhook
  onClose: () => void
}) {
  const trpc = useTRPC()
  const headingId = useId()
  const deliveries = useQuery(
    trpc.webhooks.deliveries.queryOptions(
      { id: webhook.id, limit: DELIVERIES_LIMIT },
      { refetchInterval: (query) => (hasPending(query.state.data) ? PENDING_REFRESH_MS : false) },
    ),
  )
  const rows = deliveries.data ?? []

  return (
    <section className="deliveries" aria-labelledby={headingId}>
      <div className="table-heading">
        <h2 id={headingId}>
          Deliveries to <span className="mono">{webhook.url}</span>
        </h2>
        <span className="row-actions">
          <button
            type="button"
            className="secondary"
            disabled={deliveries.isFetching}
            onClick={() => void deliveries.refetch()}
          >
            Refresh deliveries
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
        </span>
      </div>
      <DataTable caption={`Deliveries to ${webhook.url}`} columns={DELIVERY_COLUMNS}>
        {rows.map((delivery) => (
          <tr key={delivery.id}>
            <th scope="row">{formatDateTime(delivery.createdAt)}</th>
            <td>{describeDeliveryEvent(delivery.event)}</td>
            <td>{describeDeliveryStatus(delivery)}</td>
            <td>{delivery.attempts}</td>
            <td>{delivery.lastStatus ?? '–'}</td>
            <td className="delivery-error">{delivery.lastError ?? '–'}</td>
            <td>
              {delivery.status === 'pending'
                ? `Next ${formatDateTime(delivery.nextAttemptAt)}`
                : delivery.deliveredAt
                  ? formatDateTime(delivery.deliveredAt)
                  : '–'}
            </td>
          </tr>
        ))}
      </DataTable>
      {deliveries.isSuccess && rows.length === 0 && (
        <p className="muted">No deliveries yet: alerts (or a test event) will show here.</p>
      )}
      {deliveries.isPending && <p aria-busy="true">Loading…</p>}
      {deliveries.isError && (
        <p role="alert">Could not load deliveries: {deliveries.error.message}</p>
      )}
    </section>
  )
}
