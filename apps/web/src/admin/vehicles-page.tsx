import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { DataTable } from '../components/data-table'
import { FormAlert } from '../components/form-alert'
import { ListFooter } from '../components/load-more'
import { SearchField } from '../components/search-field'
import { StatusNotice } from '../components/status-notice'
import { GroupSelect } from '../groups/group-select'
import { vehicleHref } from '../lib/hash-route'
import { flattenPages, readNextCursor, usePageMessages } from '../lib/use-page-messages'
import { ShareLinks } from '../share/share-links'
import { useIsAdmin } from '../shell/use-me'
import { useTRPC } from '../trpc'
import { EditRemoveActions } from './edit-remove-actions'
import { type TVehicle, VehicleForm } from './vehicle-form'

export function VehiclesPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const isAdmin = useIsAdmin()
  const [search, setSearch] = useState('')
  const [groupId, setGroupId] = useState('')
  const [editing, setEditing] = useState<TVehicle | null>(null)
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const list = useInfiniteQuery(
    trpc.vehicles.list.infiniteQueryOptions(
      {
        search: search || undefined,
        groupId: groupId || undefined,
        sort: 'code',
        order: 'asc',
        limit: 50,
      },
      { getNextPageParam: readNextCursor },
    ),
  )
  const remove = useMutation(
    trpc.vehicles.remove.mutationOptions({
      onSuccess: (vehicle) => setNotice(`Vehicle ${vehicle.code} removed.`),
      onError: showActionError,
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.vehicles.pathKey() }),
    }),
  )
  const vehicles = flattenPages(list.data)

  return (
    <main className="page">
      <h1>Vehicles</h1>
      <StatusNotice message={notice} />
      {isAdmin && (
        <VehicleForm
          key={editing?.id ?? 'new'}
          vehicle={editing}
          onSaved={(message) => {
            setNotice(message)
            setEditing(null)
          }}
          onCancel={() => setEditing(null)}
          onSubmitting={() => setNotice(null)}
        />
      )}
      <ShareLinks vehicles={vehicles} />
      <div className="filter-bar">
        <SearchField label="Search vehicles" onSearch={setSearch} />
        <GroupSelect value={groupId} onChange={setGroupId} />
      </div>
      <FormAlert message={actionError} />
      <DataTable
        caption="Vehicles"
        columns={['Code', 'VIN', 'Plate', 'Make and model', 'Type', 'Status', isAdmin && 'Actions']}
      >
        {vehicles.map((vehicle) => (
          <tr key={vehicle.id}>
            <th scope="row">
              <a href={vehicleHref(vehicle.id)}>{vehicle.code}</a>
            </th>
            <td className="mono">{vehicle.vin}</td>
            <td>{vehicle.plate ?? '–'}</td>
            <td>
              {[vehicle.manufacturer, vehicle.model, vehicle.makeYear].filter(Boolean).join(' ') ||
                '–'}
            </td>
            <td>{vehicle.type}</td>
            <td>{vehicle.status}</td>
            {isAdmin && (
              <EditRemoveActions
                what="vehicle"
                name={vehicle.code}
                onEdit={() => setEditing(vehicle)}
                onRemove={() => {
                  setActionError(null)
                  remove.mutate({ id: vehicle.id })
                }}
              />
            )}
          </tr>
        ))}
      </DataTable>
      <ListFooter
        query={list}
        count={vehicles.length}
        what="vehicles"
        emptyText={groupId ? 'No vehicles in this group.' : 'No vehicles yet.'}
      />
    </main>
  )
}
