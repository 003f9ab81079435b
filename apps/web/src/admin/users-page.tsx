import { USER_ROLES, ZCreateUserInput } from '@fms/api/schemas'
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ConfirmButton } from '../components/confirm-button'
import { FormAlert } from '../components/form-alert'
import { LoadMore } from '../components/load-more'
import { SelectField, toOptions } from '../components/select-field'
import { TextField } from '../components/text-field'
import { readFormError } from '../lib/form-errors'
import { formatDateTime } from '../lib/format'
import { useZodForm } from '../lib/use-zod-form'
import { useMe } from '../shell/use-me'
import { useTRPC } from '../trpc'

/** Admins manage who may sign in to the organization and with which role. */
export function UsersPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const me = useMe()
  const [notice, setNotice] = useState<string | null>(null)
  const [actionError, setActionError] = useState<string | null>(null)
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() })
  const list = useInfiniteQuery(
    trpc.users.list.infiniteQueryOptions(
      { sort: 'email', order: 'asc', limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  )
  const create = useMutation(trpc.users.create.mutationOptions())
  const actionOptions = {
    onError: (error: unknown) => setActionError(readFormError(error)),
    onSettled: invalidate,
  }
  const update = useMutation(
    trpc.users.update.mutationOptions({
      ...actionOptions,
      onSuccess: (user) =>
        setNotice(`${user.email} is now ${user.role === 'admin' ? 'an admin' : 'a user'}.`),
    }),
  )
  const remove = useMutation(
    trpc.users.remove.mutationOptions({
      ...actionOptions,
      onSuccess: (user) => setNotice(`${user.email} removed.`),
    }),
  )
  const form = useZodForm(ZCreateUserInput, async (input, element) => {
    const user = await create.mutateAsync(input)
    element.reset()
    setNotice(`${user.email} added as ${user.role}.`)
    await invalidate()
  })
  const users = list.data?.pages.flatMap((page) => page.items) ?? []

  return (
    <main className="page">
      <h1>Users</h1>
      <p role="status" className="form-notice">
        {notice}
      </p>
      <form
        className="card entity-form"
        aria-label="Add a user"
        onSubmit={(event) => {
          setNotice(null)
          void form.onSubmit(event)
        }}
        noValidate
      >
        <h2>Add a user</h2>
        <FormAlert message={form.formError} />
        <div className="form-grid">
          <TextField
            name="email"
            label="Email"
            type="email"
            autoComplete="off"
            required
            errors={form.fieldErrors.email}
          />
          <TextField
            name="password"
            label="Initial password"
            type="password"
            autoComplete="new-password"
            required
            errors={form.fieldErrors.password}
          />
          <SelectField
            name="role"
            label="Role"
            options={toOptions(USER_ROLES)}
            defaultValue="user"
            errors={form.fieldErrors.role}
          />
        </div>
        <div className="form-actions">
          <button type="submit" disabled={form.isSubmitting}>
            Add user
          </button>
        </div>
      </form>
      <FormAlert message={actionError} />
      <table className="data-table">
        <caption className="visually-hidden">Users</caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Added</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const isSelf = user.id === me.data?.id
            const otherRole = user.role === 'admin' ? 'user' : 'admin'
            return (
              <tr key={user.id}>
                <th scope="row">
                  {user.email}
                  {isSelf && <span className="muted"> (you)</span>}
                </th>
                <td>{user.role}</td>
                <td>{formatDateTime(user.createdAt)}</td>
                <td className="row-actions">
                  {!isSelf && (
                    <>
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Make ${user.email} ${otherRole === 'admin' ? 'an admin' : 'a user'}`}
                        disabled={update.isPending}
                        onClick={() => {
                          setActionError(null)
                          update.mutate({ id: user.id, role: otherRole })
                        }}
                      >
                        Make {otherRole}
                      </button>
                      <ConfirmButton
                        label={`Remove user ${user.email}`}
                        confirmText={`Confirm removing ${user.email}`}
                        onConfirm={() => {
                          setActionError(null)
                          remove.mutate({ id: user.id })
                        }}
                      >
                        Remove
                      </ConfirmButton>
                    </>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      <LoadMore query={list} what="users" />
    </main>
  )
}
