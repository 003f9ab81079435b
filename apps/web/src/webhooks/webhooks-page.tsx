import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ConfirmAction } from '../components/confirm-button'
import { DataTable } from '../components/data-table'
import { EnableToggle } from '../components/enable-toggle'
import { FormAlert } from '../components/form-alert'
import { SecretOnce } from '../components/secret-once'
import { StatusNotice } from '../components/status-notice'
import { formatDateTime } from '../lib/format'
import { usePageMessages } from '../lib/use-page-messages'
import { useTRPC } from '../trpc'
import { WebhookDeliveries } from './webhook-deliveries'
import { WebhookForm } from './webhook-form'
import { describeKinds } from './webhook-values'
import './webhooks-page.css'

/** Alert webhooks (admin): add one (its signing secret shown once), switch, test, delete, watch deliveries. */
export function WebhooksPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null)
  const [shownId, setShownId] = useState<string | null>(null)
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const list = useQuery(trpc.webhooks.list.queryOptions())
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.pathKey() })
  const onError = showActionError
  const update = useMutation(
    trpc.webhooks.update.mutationOptions({
      onSuccess: (hook) =>
        setNotice(`Webhook ${hook.url} ${hook.isEnabled ? 'enabled' : 'disabled'}.`),
      onError,
      onSettled: invalidate,
    }),
  )
  const remove = useMutation(
    trpc.webhooks.remove.mutationOptions({
      onSuccess: (hook) => {
        setNotice(`Webhook ${hook.url} deleted.`)
        setShownId((id) => (id === hook.id ? null : id))
      },
      onError,
      onSettled: invalidate,
    }),
  )
  const sendTest = useMutation(
    trpc.webhooks.test.mutationOptions({
      onError,
      onSettled: invalidate,
    }),
  )
  const webhooks = list.data ?? []
  const shown = webhooks.find((hook) => hook.id === shownId)

  function startAction() {
    setNotice(null)
    setActionError(null)
  }

  return (
    <main className="page">
      <h1>Webhooks</h1>
      <p className="muted">
        Each alert is POSTed as signed JSON to every enabled webhook that takes its kind; failed
        deliveries are retried with backoff.
      </p>
      <StatusNotice message={notice} />
      {created ? (
        <SecretOnce
          heading={`Webhook ${created.url} created`}
          label="Signing secret"
          secret={created.secret}
          onDismiss={() => setCreated(null)}
        >
          Each delivery carries <code>X-FMS-Signature: t=…,v1=…</code>, the HMAC-SHA256 of{' '}
          <code>t.body</code> with this secret: check it before trusting the body.
        </SecretOnce>
      ) : (
        <WebhookForm
          onSubmitting={() => setNotice(null)}
          onCreated={async (hook) => {
            setCreated({ url: hook.url, secret: hook.secret })
            await invalidate()
          }}
        />
      )}
      <FormAlert message={actionError} />
      <DataTable
        caption="Webhooks"
        columns={['URL', 'Alert kinds', 'Status', 'Created', 'Actions']}
      >
        {webhooks.map((hook) => (
          <tr key={hook.id}>
            <th scope="row" className="mono">
              {hook.url}
            </th>
            <td>{describeKinds(hook.kinds)}</td>
            <td>{hook.isEnabled ? 'Enabled' : 'Disabled'}</td>
            <td>{formatDateTime(hook.createdAt)}</td>
            <td className="row-actions">
              <button
                type="button"
                className="secondary"
                aria-label={`Show deliveries of ${hook.url}`}
                aria-pressed={shownId === hook.id}
                onClick={() => setShownId(shownId === hook.id ? null : hook.id)}
              >
                Deliveries
              </button>
              <button
                type="button"
                className="secondary"
                aria-label={`Send a test event to ${hook.url}`}
                disabled={sendTest.isPending || !hook.isEnabled}
                title={hook.isEnabled ? undefined : 'Enable the webhook to test it'}
                onClick={() => {
                  startAction()
                  sendTest.mutate(
                    { id: hook.id },
                    {
                      onSuccess: (result) => {
                        if (!result.queued) {
                          setActionError('The test event was not queued: enable the webhook first.')
                          return
                        }
                        setNotice(`Test event queued for ${hook.url}.`)
                        setShownId(hook.id)
                      },
                    },
                  )
                }}
              >
                Send test
              </button>
              <EnableToggle
                isEnabled={hook.isEnabled}
                what="webhook"
                name={hook.url}
                disabled={update.isPending}
                onToggle={() => {
                  startAction()
                  update.mutate({ id: hook.id, isEnabled: !hook.isEnabled })
                }}
              />
              <ConfirmAction
                verb="Delete"
                what="webhook"
                name={hook.url}
                isPending={remove.isPending}
                onConfirm={() => {
                  startAction()
                  remove.mutate({ id: hook.id })
                }}
              />
            </td>
          </tr>
        ))}
      </DataTable>
      {list.isSuccess && webhooks.length === 0 && <p className="muted">No webhooks yet.</p>}
      {list.isPending && <p aria-busy="true">Loading…</p>}
      {list.isError && <p role="alert">Could not load webhooks: {list.error.message}</p>}
      {shown && <WebhookDeliveries webhook={shown} onClose={() => setShownId(null)} />}
    </main>
  )
}
