import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ConfirmButton } from '../components/confirm-button'
import { FormAlert } from '../components/form-alert'
import { ListFooter } from '../components/load-more'
import { SearchField } from '../components/search-field'
import { readFormError } from '../lib/form-errors'
import { vehicleHref } from '../lib/hash-route'
import { useIsAdmin } from '../shell/use-me'
import { useTRPC } from '../trpc'
import { type TVehicle, VehicleForm } from './vehicle-form'

export function VehiclesPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const isAdmin = useIsAdmin()
  const [search, setSearch] = useState('')
  const [editing, setEditing] = useState<TVehicle | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [actionError, setActionError] = useState<string | null>(null)
  const list = useInfiniteQuery(
    trpc.vehicles.list.infiniteQueryOptions(
      { search: search || undefined, sort: 'code', order: 'asc', limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  )
  const remove = useMutation(
    trpc.vehicles.remove.mutationOptions({
      onSuccess: (vehicle) => setNotice(`Vehicle ${vehicle.code} removed.`),
      onError: (error) => setActionError(readFormError(error)),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.vehicles.pathKey() }),
    }),
  )
  const vehicles = list.data?.pages.flatMap((page) => page.items) ?? []

  return (
    <main className="page">
      <h1>Vehicles</h1>
      <p role="status" className="form-notice">
        {notice}
      </p>
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
      <SearchField label="Search vehicles" onSearch={setSearch} />
      <FormAlert message={actionError} />
      <table className="data-table">
        <caption className="visually-hidden">Vehicles</caption>
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col">VIN</th>
            <th scope="col">Plate</th>
            <th scope="col">Make and model</th>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            {isAdmin && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {vehicles.map((vehicle) => (
            <tr key={vehicle.id}>
              <th scope="row">
                <a href={vehicleHref(vehicle.id)}>{vehicle.code}</a>
              </th>
              <td className="mono">{vehicle.vin}</td>
              <td>{vehicle.plate ?? '–'}</td>
              <td>
                {[vehicle.manufacturer, vehicle.model, vehicle.makeYear]
                  .filter(Boolean)
                  .join(' ') || '–'}
              </td>
              <td>{vehicle.type}</td>
              <td>{vehicle.status}</td>
              {isAdmin && (
                <td className="row-actions">
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Edit vehicle ${vehicle.code}`}
                    onClick={() => setEditing(vehicle)}
                  >
                    Edit
                  </button>
                  <ConfirmButton
                    label={`Remove vehicle ${vehicle.code}`}
                    confirmText={`Confirm removing ${vehicle.code}`}
                    onConfirm={() => {
                      setActionError(null)
                      remove.mutate({ id: vehicle.id })
                    }}
                  >
                    Remove
                  </ConfirmButton>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <ListFooter
        query={list}
        count={vehicles.length}
        what="vehicles"
        emptyText="No vehicles yet."
      />
    </main>
  )
}
