import { ZCreateTokenInput } from '@fms/api/schemas'
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { ConfirmAction } from '../components/confirm-button'
import { DataTable } from '../components/data-table'
import { EntityForm } from '../components/entity-form'
import { FormAlert } from '../components/form-alert'
import { LoadMore } from '../components/load-more'
import { SecretOnce } from '../components/secret-once'
import { StatusNotice } from '../components/status-notice'
import { TextField } from '../components/text-field'
import { formatDateTime } from '../lib/format'
import { flattenPages, readNextCursor, usePageMessages } from '../lib/use-page-messages'
import { useZodForm } from '../lib/use-zod-form'
import { useTRPC } from '../trpc'
import { TokenSecret } from './token-secret'

export function TokensPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const showRevokedId = useId()
  const [showRevoked, setShowRevoked] = useState(false)
  const [created, setCreated] = useState<{ title: string; secret: string } | null>(null)
  const [rotated, setRotated] = useState<{
    title: string
    secret: string
    previousExpiresAt: Date | null
  } | null>(null)
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.pathKey() })
  const list = useInfiniteQuery(
    trpc.tokens.list.infiniteQueryOptions(
      { includeRevoked: showRevoked, limit: 50 },
      { getNextPageParam: readNextCursor },
    ),
  )
  const create = useMutation(trpc.tokens.create.mutationOptions())
  const rotate = useMutation(
    trpc.tokens.rotate.mutationOptions({
      onSuccess: (token) => {
        setCreated(null)
        setRotated({
          title: token.title,
          secret: token.secret,
          previousExpiresAt: token.previousExpiresAt,
        })
      },
      onError: showActionError,
      onSettled: invalidate,
    }),
  )
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: (token) => setNotice(`Token ${token.title} revoked.`),
      onError: showActionError,
      onSettled: invalidate,
    }),
  )
  const form = useZodForm(ZCreateTokenInput, async (input, element) => {
    const token = await create.mutateAsync(input)
    element.reset()
    setRotated(null)
    setCreated({ title: token.title, secret: token.secret })
    await invalidate()
  })
  const tokens = flattenPages(list.data)

  return (
    <main className="page">
      <h1>API tokens</h1>
      <p className="muted">
        Devices authenticate with a token; link devices to it on the Devices page.
      </p>
      <StatusNotice message={notice} />
      {rotated ? (
        <SecretOnce
          heading={`Token “${rotated.title}” rotated`}
          label="New token secret"
          secret={rotated.secret}
          onDismiss={() => setRotated(null)}
        >
          Devices send it as <code>Authorization: Bearer …</code>. The old secret keeps working
          until {formatDateTime(rotated.previousExpiresAt)}; then it is refused.
        </SecretOnce>
      ) : created ? (
        <TokenSecret {...created} onDismiss={() => setCreated(null)} />
      ) : (
        <EntityForm
          heading="Create a token"
          form={form}
          onSubmitting={() => setNotice(null)}
          submitLabel="Create token"
        >
          <TextField name="title" label="Title" required errors={form.fieldErrors.title} />
          <TextField name="description" label="Description" errors={form.fieldErrors.description} />
        </EntityForm>
      )}
      <div className="checkbox-field">
        <input
          id={showRevokedId}
          type="checkbox"
          checked={showRevoked}
          onChange={(event) => setShowRevoked(event.target.checked)}
        />
        <label htmlFor={showRevokedId}>Show revoked tokens</label>
      </div>
      <FormAlert message={actionError} />
      <DataTable
        caption="API tokens"
        columns={['Title', 'Prefix', 'Created', 'Last used', 'Status', 'Actions']}
      >
        {tokens.map((token) => (
          <tr key={token.id}>
            <th scope="row">{token.title}</th>
            <td className="mono">fmd_{token.prefix}_…</td>
            <td>{formatDateTime(token.createdAt)}</td>
            <td>{formatDateTime(token.lastUsedAt)}</td>
            <td>{tokenStatus(token)}</td>
            <td className="row-actions">
              {!token.revokedAt && (
                <ConfirmAction
                  verb="Rotate"
                  what="token"
                  name={token.title}
                  isPending={rotate.isPending}
                  onConfirm={() => {
                    setActionError(null)
                    setNotice(null)
                    rotate.mutate({ id: token.id })
                  }}
                />
              )}
              {!token.revokedAt && (
                <ConfirmAction
                  verb="Revoke"
                  what="token"
                  name={token.title}
                  isPending={revoke.isPending}
                  onConfirm={() => {
                    setActionError(null)
                    revoke.mutate({ id: token.id })
                  }}
                />
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      {list.isSuccess && tokens.length === 0 && (
        <p className="muted">{showRevoked ? 'No tokens yet.' : 'No active tokens.'}</p>
      )}
      {list.isError && <p role="alert">Could not load tokens: {list.error.message}</p>}
      <LoadMore query={list} what="tokens" />
    </main>
  )
}

/** "Active", "Revoked …", or, within a rotation's grace, until when the old secret works. */
function tokenStatus(token: { revokedAt: Date | null; previousExpiresAt: Date | null }): string {
  if (token.revokedAt) return `Revoked ${formatDateTime(token.revokedAt)}`
  if (token.previousExpiresAt && token.previousExpiresAt.getTime() > Date.now()) {
    return `Active; old secret works until ${formatDateTime(token.previousExpiresAt)}`
  }
  return 'Active'
}
