import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { DataTable } from '../components/data-table'
import { FormAlert } from '../components/form-alert'
import { ListFooter } from '../components/load-more'
import { SearchField } from '../components/search-field'
import { StatusNotice } from '../components/status-notice'
import { vehicleHref } from '../lib/hash-route'
import { flattenPages, readNextCursor, usePageMessages } from '../lib/use-page-messages'
import { useIsAdmin } from '../shell/use-me'
import { useTRPC } from '../trpc'
import { DeviceForm, describeDevice, type TDevice } from './device-form'
import { EditRemoveActions } from './edit-remove-actions'

export function DevicesPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const isAdmin = useIsAdmin()
  const [search, setSearch] = useState('')
  const [editing, setEditing] = useState<TDevice | null>(null)
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const list = useInfiniteQuery(
    trpc.devices.list.infiniteQueryOptions(
      { search: search || undefined, limit: 50 },
      { getNextPageParam: readNextCursor },
    ),
  )
  // Link choices: the first 100 vehicles by code, and the active tokens (admins only see tokens).
  const vehicles = useQuery(
    trpc.vehicles.list.queryOptions({ sort: 'code', order: 'asc', limit: 100 }),
  )
  const tokens = useQuery(trpc.tokens.list.queryOptions({ limit: 100 }, { enabled: isAdmin }))
  const remove = useMutation(
    trpc.devices.remove.mutationOptions({
      onSuccess: (device) => setNotice(`Device ${describeDevice(device)} removed.`),
      onError: showActionError,
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.devices.pathKey() }),
    }),
  )
  const vehicleCodes = new Map(vehicles.data?.items.map((v) => [v.id, v.code]))
  const tokenTitles = new Map(tokens.data?.items.map((t) => [t.id, t.title]))
  const devices = flattenPages(list.data)

  return (
    <main className="page">
      <h1>Devices</h1>
      <StatusNotice message={notice} />
      {isAdmin && (
        <DeviceForm
          key={editing?.id ?? 'new'}
          device={editing}
          vehicleOptions={[...vehicleCodes].map(([value, label]) => ({ value, label }))}
          tokenOptions={[...tokenTitles].map(([value, label]) => ({ value, label }))}
          onSaved={(message) => {
            setNotice(message)
            setEditing(null)
          }}
          onCancel={() => setEditing(null)}
          onSubmitting={() => setNotice(null)}
        />
      )}
      <SearchField label="Search devices" onSearch={setSearch} />
      <FormAlert message={actionError} />
      <DataTable
        caption="Devices"
        columns={[
          'Device',
          'Model',
          'Vehicle',
          isAdmin && 'API token',
          'Status',
          isAdmin && 'Actions',
        ]}
      >
        {devices.map((device) => {
          const name = describeDevice(device)
          return (
            <tr key={device.id}>
              <th scope="row" className="mono">
                {name}
              </th>
              <td>{device.model ?? '–'}</td>
              <td>
                {device.vehicleId ? (
                  <a href={vehicleHref(device.vehicleId)}>
                    {vehicleCodes.get(device.vehicleId) ?? 'Linked vehicle'}
                  </a>
                ) : (
                  '–'
                )}
              </td>
              {isAdmin && (
                <td>
                  {device.tokenId ? (tokenTitles.get(device.tokenId) ?? 'Revoked token') : '–'}
                </td>
              )}
              <td>{device.status}</td>
              {isAdmin && (
                <EditRemoveActions
                  what="device"
                  name={name}
                  onEdit={() => setEditing(device)}
                  onRemove={() => {
                    setActionError(null)
                    remove.mutate({ id: device.id })
                  }}
                />
              )}
            </tr>
          )
        })}
      </DataTable>
      <ListFooter query={list} count={devices.length} what="devices" emptyText="No devices yet." />
    </main>
  )
}
