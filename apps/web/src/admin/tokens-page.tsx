import { ZCreateTokenInput } from '@fms/api/schemas'
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { ConfirmButton } from '../components/confirm-button'
import { FormAlert } from '../components/form-alert'
import { LoadMore } from '../components/load-more'
import { SecretOnce } from '../components/secret-once'
import { TextField } from '../components/text-field'
import { readFormError } from '../lib/form-errors'
import { formatDateTime } from '../lib/format'
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
  const [notice, setNotice] = useState<string | null>(null)
  const [actionError, setActionError] = useState<string | null>(null)
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.pathKey() })
  const list = useInfiniteQuery(
    trpc.tokens.list.infiniteQueryOptions(
      { includeRevoked: showRevoked, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
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
      onError: (error) => setActionError(readFormError(error)),
      onSettled: invalidate,
    }),
  )
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: (token) => setNotice(`Token ${token.title} revoked.`),
      onError: (error) => setActionError(readFormError(error)),
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
  const tokens = list.data?.pages.flatMap((page) => page.items) ?? []

  return (
    <main className="page">
      <h1>API tokens</h1>
      <p className="muted">
        Devices authenticate with a token; link devices to it on the Devices page.
      </p>
      <p role="status" className="form-notice">
        {notice}
      </p>
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
        <form
          className="card entity-form"
          aria-label="Create a token"
          onSubmit={(event) => {
            setNotice(null)
            void form.onSubmit(event)
          }}
          noValidate
        >
          <h2>Create a token</h2>
          <FormAlert message={form.formError} />
          <div className="form-grid">
            <TextField name="title" label="Title" required errors={form.fieldErrors.title} />
            <TextField
              name="description"
              label="Description"
              errors={form.fieldErrors.description}
            />
          </div>
          <div className="form-actions">
            <button type="submit" disabled={form.isSubmitting}>
              Create token
            </button>
          </div>
        </form>
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
      <table className="data-table">
        <caption className="visually-hidden">API tokens</caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Prefix</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id}>
              <th scope="row">{token.title}</th>
              <td className="mono">fmd_{token.prefix}_…</td>
              <td>{formatDateTime(token.createdAt)}</td>
              <td>{formatDateTime(token.lastUsedAt)}</td>
              <td>{tokenStatus(token)}</td>
              <td className="row-actions">
                {!token.revokedAt && (
                  <ConfirmButton
                    label={`Rotate token ${token.title}`}
                    confirmText={`Confirm rotating ${token.title}`}
                    isPending={rotate.isPending}
                    onConfirm={() => {
                      setActionError(null)
                      setNotice(null)
                      rotate.mutate({ id: token.id })
                    }}
                  >
                    Rotate
                  </ConfirmButton>
                )}
                {!token.revokedAt && (
                  <ConfirmButton
                    label={`Revoke token ${token.title}`}
                    confirmText={`Confirm revoking ${token.title}`}
                    isPending={revoke.isPending}
                    onConfirm={() => {
                      setActionError(null)
                      revoke.mutate({ id: token.id })
                    }}
                  >
                    Revoke
                  </ConfirmButton>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
