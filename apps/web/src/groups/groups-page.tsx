import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { EditRemoveActions } from '../admin/edit-remove-actions'
import { DataTable } from '../components/data-table'
import { FormAlert } from '../components/form-alert'
import { ListFooter } from '../components/load-more'
import { StatusNotice } from '../components/status-notice'
import { formatCount } from '../lib/format'
import { flattenPages, readNextCursor, usePageMessages } from '../lib/use-page-messages'
import { useTRPC } from '../trpc'
import { GroupForm, type TGroup } from './group-form'

/**
 * Vehicle groups (admin): add, rename, remove, and choose each group's vehicles. A user limited
 * to groups (on the Users page) sees only their vehicles; see docs/groups.md.
 */
export function GroupsPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const [editing, setEditing] = useState<TGroup | null>(null)
  // A new form after each add, so its chosen vehicles start empty again.
  const [addCount, setAddCount] = useState(0)
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const list = useInfiniteQuery(
    trpc.groups.list.infiniteQueryOptions(
      { sort: 'name', order: 'asc', limit: 50 },
      { getNextPageParam: readNextCursor },
    ),
  )
  const remove = useMutation(
    trpc.groups.remove.mutationOptions({
      onSuccess: (group) => {
        setNotice(`Group ${group.name} removed.`)
        setEditing((held) => (held?.id === group.id ? null : held))
      },
      onError: showActionError,
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.groups.pathKey() }),
    }),
  )
  const groups = flattenPages(list.data)

  return (
    <main className="page">
      <h1>Groups</h1>
      <p className="muted">
        A group is a set of vehicles, a depot's say. A user limited to groups sees only their
        vehicles; a vehicle in no group is seen only by users who are not limited.
      </p>
      <StatusNotice message={notice} />
      <GroupForm
        key={editing?.id ?? `new-${addCount}`}
        group={editing}
        onSaved={(message) => {
          setNotice(message)
          if (!editing) setAddCount((n) => n + 1)
          setEditing(null)
        }}
        onCancel={() => setEditing(null)}
        onSubmitting={() => setNotice(null)}
      />
      <FormAlert message={actionError} />
      <DataTable caption="Groups" columns={['Name', 'Description', 'Vehicles', 'Actions']}>
        {groups.map((group) => (
          <tr key={group.id}>
            <th scope="row">{group.name}</th>
            <td>{group.description ?? '–'}</td>
            <td>{formatCount(group.vehicleIds.length)}</td>
            <EditRemoveActions
              what="group"
              name={group.name}
              onEdit={() => setEditing(group)}
              onRemove={() => {
                setActionError(null)
                remove.mutate({ id: group.id })
              }}
            />
          </tr>
        ))}
      </DataTable>
      <ListFooter query={list} count={groups.length} what="groups" emptyText="No groups yet." />
    </main>
  )
}
