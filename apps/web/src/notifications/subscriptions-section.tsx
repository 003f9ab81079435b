import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useIsEmailEnabled } from '../auth/link-token'
import { ConfirmAction } from '../components/confirm-button'
import { DataTable } from '../components/data-table'
import { EnableToggle } from '../components/enable-toggle'
import { FormAlert } from '../components/form-alert'
import { StatusNotice } from '../components/status-notice'
import { usePageMessages } from '../lib/use-page-messages'
import { useVehicleOptions } from '../lib/use-vehicle-options'
import { useTRPC } from '../trpc'
import { describeKinds } from '../webhooks/webhook-values'
import { SubscriptionForm } from './subscription-form'
import {
  describeChannels,
  describeDigest,
  describeQuietHours,
  describeVehicles,
  type TSubscription,
} from './subscription-values'

/** `Overspeed, Low fuel for TRUCK-1`: how a row is named to screen readers. */
function nameOf(subscription: TSubscription, codes: ReadonlyMap<string, string>): string {
  return `${describeKinds(subscription.kinds)} for ${describeVehicles(subscription.vehicleIds, codes)}`
}

/** "What you are told about": the caller's subscriptions, added, edited, switched and removed here. */
export function SubscriptionsSection() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const vehicles = useVehicleOptions()
  // Null until the server has said (the form keeps the email box as it is meanwhile).
  const isEmailEnabled = useIsEmailEnabled() ?? null
  const [editing, setEditing] = useState<TSubscription | null>(null)
  const [formKey, setFormKey] = useState(0)
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const list = useQuery(trpc.notifications.subscriptions.list.queryOptions())
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.notifications.subscriptions.pathKey() })
  const update = useMutation(
    trpc.notifications.subscriptions.update.mutationOptions({
      onSuccess: (saved) => setNotice(`Subscription ${saved.isEnabled ? 'enabled' : 'disabled'}.`),
      onError: showActionError,
      onSettled: invalidate,
    }),
  )
  const remove = useMutation(
    trpc.notifications.subscriptions.remove.mutationOptions({
      onSuccess: (removed) => {
        setNotice('Subscription removed.')
        setEditing((current) => (current?.id === removed.id ? null : current))
      },
      onError: showActionError,
      onSettled: invalidate,
    }),
  )
  const subscriptions = list.data ?? []

  function startAction() {
    setNotice(null)
    setActionError(null)
  }

  return (
    <section className="subscriptions" aria-labelledby="subscriptions-heading">
      <h2 id="subscriptions-heading">What you are told about</h2>
      <p className="muted">
        Each subscription picks alerts by kind and vehicle and says how you hear of them: in the app
        (the bell), by email, or both. Quiet hours hold emails until they end.
      </p>
      <StatusNotice message={notice} />
      <FormAlert message={actionError} />
      <DataTable
        caption="Your subscriptions"
        columns={[
          'Alert kinds',
          'Vehicles',
          'Channels',
          'Quiet hours',
          'Email',
          'Status',
          'Actions',
        ]}
      >
        {subscriptions.map((subscription) => {
          const name = nameOf(subscription, vehicles.codes)
          return (
            <tr key={subscription.id}>
              <th scope="row">{describeKinds(subscription.kinds)}</th>
              <td>{describeVehicles(subscription.vehicleIds, vehicles.codes)}</td>
              <td>{describeChannels(subscription.channels, isEmailEnabled !== false)}</td>
              <td>{describeQuietHours(subscription.quietHours, subscription.timeZone)}</td>
              <td>{describeDigest(subscription.digestMinutes)}</td>
              <td>{subscription.isEnabled ? 'Enabled' : 'Disabled'}</td>
              <td className="row-actions">
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Edit subscription ${name}`}
                  onClick={() => {
                    startAction()
                    setEditing(subscription)
                  }}
                >
                  Edit
                </button>
                <EnableToggle
                  isEnabled={subscription.isEnabled}
                  what="subscription"
                  name={name}
                  disabled={update.isPending}
                  onToggle={() => {
                    startAction()
                    update.mutate({ id: subscription.id, isEnabled: !subscription.isEnabled })
                  }}
                />
                <ConfirmAction
                  verb="Remove"
                  what="subscription"
                  name={name}
                  isPending={remove.isPending}
                  onConfirm={() => {
                    startAction()
                    remove.mutate({ id: subscription.id })
                  }}
                />
              </td>
            </tr>
          )
        })}
      </DataTable>
      {list.isSuccess && subscriptions.length === 0 && (
        <p className="muted">No subscriptions yet: you are told about nothing.</p>
      )}
      {list.isPending && <p aria-busy="true">Loading…</p>}
      {list.isError && <p role="alert">Could not load subscriptions: {list.error.message}</p>}
      <SubscriptionForm
        // A new form for another subscription, after a save, or once email's state is known.
        key={`${editing?.id ?? 'new'}-${formKey}-${String(isEmailEnabled)}`}
        subscription={editing}
        isEmailEnabled={isEmailEnabled}
        onSubmitting={() => setNotice(null)}
        onSaved={(message) => {
          setNotice(message)
          setEditing(null)
          setFormKey((key) => key + 1)
        }}
        onCancel={() => setEditing(null)}
      />
    </section>
  )
}
