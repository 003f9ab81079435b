import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { EditRemoveActions } from '../admin/edit-remove-actions'
import { DataTable } from '../components/data-table'
import { FormAlert } from '../components/form-alert'
import { ListFooter } from '../components/load-more'
import { SearchField } from '../components/search-field'
import { StatusNotice } from '../components/status-notice'
import { hrefTo } from '../lib/hash-route'
import { formatDateInput } from '../lib/local-day'
import { flattenPages, readNextCursor, usePageMessages } from '../lib/use-page-messages'
import { useIsAdmin } from '../shell/use-me'
import { useTRPC } from '../trpc'
import { DriverAssignments } from './driver-assignments'
import { DriverForm, type TDriver } from './driver-form'
import { classifyLicence, LICENCE_LABELS } from './licence-expiry'
import './drivers.css'

/**
 * Drivers: a searchable list (licences expired or expiring soon flagged), what each drives now,
 * and one driver's assignments. Admins add, edit, remove and assign; everyone else reads.
 */
export function DriversPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const isAdmin = useIsAdmin()
  const [search, setSearch] = useState('')
  const [editing, setEditing] = useState<TDriver | null>(null)
  const [shownId, setShownId] = useState<string | null>(null)
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const list = useInfiniteQuery(
    trpc.drivers.list.infiniteQueryOptions(
      { search: search || undefined, sort: 'name', order: 'asc', limit: 50 },
      { getNextPageParam: readNextCursor },
    ),
  )
  const current = useQuery(trpc.drivers.current.queryOptions())
  const remove = useMutation(
    trpc.drivers.remove.mutationOptions({
      onSuccess: (driver) => {
        setNotice(`Driver ${driver.name} removed.`)
        setShownId((id) => (id === driver.id ? null : id))
      },
      onError: showActionError,
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.drivers.pathKey() }),
    }),
  )
  const drivers = flattenPages(list.data)
  const today = formatDateInput(Date.now())
  const drivesNow = useMemo(() => {
    const codes = new Map<string, string[]>()
    for (const item of current.data?.items ?? []) {
      if (item.driverId)
        codes.set(item.driverId, [...(codes.get(item.driverId) ?? []), item.vehicleCode])
    }
    return codes
  }, [current.data])
  const shown = drivers.find((driver) => driver.id === shownId)

  return (
    <main className="page">
      <div className="table-heading">
        <h1>Drivers</h1>
        <a className="button-link" href={hrefTo('driverReport')}>
          Driver report
        </a>
      </div>
      <StatusNotice message={notice} />
      {isAdmin && (
        <DriverForm
          key={editing?.id ?? 'new'}
          driver={editing}
          onSaved={(message) => {
            setNotice(message)
            setEditing(null)
          }}
          onCancel={() => setEditing(null)}
          onSubmitting={() => setNotice(null)}
        />
      )}
      <SearchField label="Search drivers" onSearch={setSearch} />
      <FormAlert message={actionError} />
      <DataTable
        caption="Drivers"
        columns={[
          'Name',
          'Employee number',
          'Identifier',
          'Phone',
          'Licence expiry',
          'Drives now',
          'Assignments',
          isAdmin && 'Actions',
        ]}
      >
        {drivers.map((driver) => {
          const licence = classifyLicence(driver.licenceExpiry, today)
          return (
            <tr key={driver.id}>
              <th scope="row">{driver.name}</th>
              <td>{driver.employeeNumber ?? '–'}</td>
              <td className="mono">{driver.identifier ?? '–'}</td>
              <td>{driver.phone ?? '–'}</td>
              <td>
                {driver.licenceExpiry ?? '–'}
                {licence && licence !== 'valid' && (
                  <span className={`badge licence-${licence}`}>{LICENCE_LABELS[licence]}</span>
                )}
              </td>
              <td>{drivesNow.get(driver.id)?.join(', ') ?? '–'}</td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Show assignments of ${driver.name}`}
                  aria-pressed={driver.id === shownId}
                  onClick={() => setShownId(driver.id === shownId ? null : driver.id)}
                >
                  Assignments
                </button>
              </td>
              {isAdmin && (
                <EditRemoveActions
                  what="driver"
                  name={driver.name}
                  onEdit={() => setEditing(driver)}
                  onRemove={() => {
                    setActionError(null)
                    remove.mutate({ id: driver.id })
                  }}
                />
              )}
            </tr>
          )
        })}
      </DataTable>
      <ListFooter query={list} count={drivers.length} what="drivers" emptyText="No drivers yet." />
      {shown && (
        <DriverAssignments key={shown.id} driver={shown} isAdmin={isAdmin} onNotice={setNotice} />
      )}
    </main>
  )
}
