import { USER_ROLES, ZCreateUserInput } from '@fms/api/schemas'
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ConfirmAction } from '../components/confirm-button'
import { DataTable } from '../components/data-table'
import { EntityForm } from '../components/entity-form'
import { FormAlert } from '../components/form-alert'
import { LoadMore } from '../components/load-more'
import { SelectField, toOptions } from '../components/select-field'
import { StatusNotice } from '../components/status-notice'
import { TextField } from '../components/text-field'
import { useGroupOptions } from '../groups/use-group-options'
import { formatDateTime } from '../lib/format'
import { flattenPages, readNextCursor, usePageMessages } from '../lib/use-page-messages'
import { useZodForm } from '../lib/use-zod-form'
import { useMe } from '../shell/use-me'
import { type RouterOutputs, useTRPC } from '../trpc'
import { LimitToGroups, readLimitGroupIds, UserGroupsForm } from './user-groups-form'

type TUser = RouterOutputs['users']['list']['items'][number]

/** Which vehicles a user sees, in words. */
function describeGroups(user: TUser, names: ReadonlyMap<string, string>): string {
  if (user.role === 'admin' || user.groupIds === null) return 'Every vehicle'
  if (user.groupIds.length === 0) return 'No vehicle (limited to no group)'
  return user.groupIds.map((id) => names.get(id) ?? 'a group not listed').join(', ')
}

/** Admins manage who may sign in to the organization and with which role. */
export function UsersPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const me = useMe()
  const groups = useGroupOptions()
  const [editingGroupsOf, setEditingGroupsOf] = useState<TUser | null>(null)
  // A new add form after each add, so its ticked groups start empty again.
  const [addCount, setAddCount] = useState(0)
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() })
  const list = useInfiniteQuery(
    trpc.users.list.infiniteQueryOptions(
      { sort: 'email', order: 'asc', limit: 50 },
      { getNextPageParam: readNextCursor },
    ),
  )
  const create = useMutation(trpc.users.create.mutationOptions())
  const actionOptions = {
    onError: showActionError,
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
  const form = useZodForm(
    ZCreateUserInput,
    async (input, element) => {
      const user = await create.mutateAsync(input)
      element.reset()
      setAddCount((n) => n + 1)
      setNotice(`${user.email} added as ${user.role}.`)
      await invalidate()
    },
    { read: (values) => ({ ...values, groupIds: readLimitGroupIds(values) }) },
  )
  const users = flattenPages(list.data)

  return (
    <main className="page">
      <h1>Users</h1>
      <StatusNotice message={notice} />
      <EntityForm
        heading="Add a user"
        form={form}
        onSubmitting={() => setNotice(null)}
        submitLabel="Add user"
      >
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
        {groups.options.length > 0 && (
          <div className="form-wide">
            <LimitToGroups key={addCount} initial={[]} errors={form.fieldErrors.groupIds} />
          </div>
        )}
      </EntityForm>
      {editingGroupsOf && (
        <UserGroupsForm
          key={editingGroupsOf.id}
          user={editingGroupsOf}
          onSaved={(message) => {
            setNotice(message)
            setEditingGroupsOf(null)
          }}
          onCancel={() => setEditingGroupsOf(null)}
          onSubmitting={() => setNotice(null)}
        />
      )}
      <FormAlert message={actionError} />
      <DataTable caption="Users" columns={['Email', 'Role', 'Sees', 'Added', 'Actions']}>
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
              <td>{describeGroups(user, groups.names)}</td>
              <td>{formatDateTime(user.createdAt)}</td>
              <td className="row-actions">
                {user.role === 'user' && (
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Limit ${user.email} to groups`}
                    onClick={() => setEditingGroupsOf(user)}
                  >
                    Groups
                  </button>
                )}
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
                    <ConfirmAction
                      verb="Remove"
                      what="user"
                      name={user.email}
                      onConfirm={() => {
                        setActionError(null)
                        remove.mutate({ id: user.id })
                      }}
                    />
                  </>
                )}
              </td>
            </tr>
          )
        })}
      </DataTable>
      <LoadMore query={list} what="users" />
    </main>
  )
}
