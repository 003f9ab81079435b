import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ConfirmButton } from '../components/confirm-button'
import { FormAlert } from '../components/form-alert'
import { ListFooter } from '../components/load-more'
import { SearchField } from '../components/search-field'
import { readFormError } from '../lib/form-errors'
import { vehicleHref } from '../lib/hash-route'
import { useIsAdmin } from '../shell/use-me'
import { useTRPC } from '../trpc'
import { DeviceForm, describeDevice, type TDevice } from './device-form'

export function DevicesPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const isAdmin = useIsAdmin()
  const [search, setSearch] = useState('')
  const [editing, setEditing] = useState<TDevice | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [actionError, setActionError] = useState<string | null>(null)
  const list = useInfiniteQuery(
    trpc.devices.list.infiniteQueryOptions(
      { search: search || undefined, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
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
      onError: (error) => setActionError(readFormError(error)),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.devices.pathKey() }),
    }),
  )
  const vehicleCodes = new Map(vehicles.data?.items.map((v) => [v.id, v.code]))
  const tokenTitles = new Map(tokens.data?.items.map((t) => [t.id, t.title]))
  const devices = list.data?.pages.flatMap((page) => page.items) ?? []

  return (
    <main className="page">
      <h1>Devices</h1>
      <p role="status" className="form-notice">
        {notice}
      </p>
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
      <table className="data-table">
        <caption className="visually-hidden">Devices</caption>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Model</th>
            <th scope="col">Vehicle</th>
            {isAdmin && <th scope="col">API token</th>}
            <th scope="col">Status</th>
            {isAdmin && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
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
                  <td className="row-actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit device ${name}`}
                      onClick={() => setEditing(device)}
                    >
                      Edit
                    </button>
                    <ConfirmButton
                      label={`Remove device ${name}`}
                      confirmText={`Confirm removing ${name}`}
                      onConfirm={() => {
                        setActionError(null)
                        remove.mutate({ id: device.id })
                      }}
                    >
                      Remove
                    </ConfirmButton>
                  </td>
                )}
              </tr>
            )
          })}
        </tbody>
      </table>
      <ListFooter query={list} count={devices.length} what="devices" emptyText="No devices yet." />
    </main>
  )
}
