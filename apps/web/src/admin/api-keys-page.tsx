import { API_KEY_SCOPES, ZCreateApiKeyInput } from '@fms/api/schemas'
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { ConfirmAction } from '../components/confirm-button'
import { DataTable } from '../components/data-table'
import { EntityForm } from '../components/entity-form'
import { FormAlert } from '../components/form-alert'
import { LoadMore } from '../components/load-more'
import { SecretOnce } from '../components/secret-once'
import { SelectField } from '../components/select-field'
import { StatusNotice } from '../components/status-notice'
import { TextField } from '../components/text-field'
import { formatDateTime } from '../lib/format'
import { flattenPages, readNextCursor, usePageMessages } from '../lib/use-page-messages'
import { useZodForm } from '../lib/use-zod-form'
import { useTRPC } from '../trpc'

const SCOPE_OPTIONS = API_KEY_SCOPES.map((scope) => ({
  value: scope,
  label: scope === 'read' ? 'Read: GET only' : 'Write: read and change',
}))

/** Integrator API keys for the REST API (/api/v1): create (shown once), list, revoke. */
export function ApiKeysPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const showRevokedId = useId()
  const [showRevoked, setShowRevoked] = useState(false)
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null)
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.pathKey() })
  const list = useInfiniteQuery(
    trpc.apiKeys.list.infiniteQueryOptions(
      { includeRevoked: showRevoked, limit: 50 },
      { getNextPageParam: readNextCursor },
    ),
  )
  const create = useMutation(trpc.apiKeys.create.mutationOptions())
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: (key) => setNotice(`API key ${key.name} revoked.`),
      onError: showActionError,
      onSettled: invalidate,
    }),
  )
  const form = useZodForm(
    ZCreateApiKeyInput,
    async (input, element) => {
      const key = await create.mutateAsync(input)
      element.reset()
      setCreated({ name: key.name, secret: key.secret })
      await invalidate()
    },
    // A blank expiry is "never"; a datetime-local value is read in the browser's time zone.
    { read: (values) => ({ ...values, expiresAt: values.expiresAt || null }) },
  )
  const keys = flattenPages(list.data)

  return (
    <main className="page">
      <h1>API keys</h1>
      <p className="muted">
        Keys let other systems use the REST API (<a href="/api/docs">reference</a>). A key acts as
        the admin who created it: a read key may only read; it stops working when revoked, when it
        expires, or when its creator is no longer an admin.
      </p>
      <StatusNotice message={notice} />
      {created ? (
        <SecretOnce
          heading={`API key “${created.name}” created`}
          label="API key"
          secret={created.secret}
          onDismiss={() => setCreated(null)}
        >
          Send it as <code>Authorization: Bearer …</code> to <code>/api/v1</code>.
        </SecretOnce>
      ) : (
        <EntityForm
          heading="Create an API key"
          form={form}
          onSubmitting={() => setNotice(null)}
          submitLabel="Create key"
        >
          <TextField name="name" label="Name" required errors={form.fieldErrors.name} />
          <SelectField
            name="scope"
            label="Scope"
            options={SCOPE_OPTIONS}
            errors={form.fieldErrors.scope}
          />
          <TextField
            name="expiresAt"
            label="Expires (blank: never)"
            type="datetime-local"
            errors={form.fieldErrors.expiresAt}
          />
        </EntityForm>
      )}
      <div className="checkbox-field">
        <input
          id={showRevokedId}
          type="checkbox"
          checked={showRevoked}
          onChange={(event) => setShowRevoked(event.target.checked)}
        />
        <label htmlFor={showRevokedId}>Show revoked keys</label>
      </div>
      <FormAlert message={actionError} />
      <DataTable
        caption="API keys"
        columns={['Name', 'Key', 'Scope', 'Expires', 'Last used', 'Status', 'Actions']}
      >
        {keys.map((key) => (
          <tr key={key.id}>
            <th scope="row">{key.name}</th>
            <td className="mono">fmk_{key.prefix}_…</td>
            <td>{key.scope}</td>
            <td>{key.expiresAt ? formatDateTime(key.expiresAt) : 'Never'}</td>
            <td>
              {key.lastUsedAt
                ? `${formatDateTime(key.lastUsedAt)}${key.lastUsedIp ? ` from ${key.lastUsedIp}` : ''}`
                : 'Never'}
            </td>
            <td>{keyStatus(key)}</td>
            <td className="row-actions">
              {!key.revokedAt && (
                <ConfirmAction
                  verb="Revoke"
                  what="API key"
                  name={key.name}
                  isPending={revoke.isPending}
                  onConfirm={() => {
                    setActionError(null)
                    revoke.mutate({ id: key.id })
                  }}
                />
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      {list.isSuccess && keys.length === 0 && (
        <p className="muted">{showRevoked ? 'No API keys yet.' : 'No active API keys.'}</p>
      )}
      {list.isError && <p role="alert">Could not load API keys: {list.error.message}</p>}
      <LoadMore query={list} what="API keys" />
    </main>
  )
}

function keyStatus(key: { revokedAt: Date | null; expiresAt: Date | null }): string {
  if (key.revokedAt) return `Revoked ${formatDateTime(key.revokedAt)}`
  if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) return 'Expired'
  return 'Active'
}
