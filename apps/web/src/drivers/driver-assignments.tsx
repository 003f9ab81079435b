import { ZAssignDriverInput } from '@fms/api/schemas'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { DataTable } from '../components/data-table'
import { EntityForm } from '../components/entity-form'
import { FormAlert } from '../components/form-alert'
import { SelectField } from '../components/select-field'
import { TextField } from '../components/text-field'
import { readFormError } from '../lib/form-errors'
import { formatDateTime } from '../lib/format'
import { vehicleHref } from '../lib/hash-route'
import { useVehicleOptions } from '../lib/use-vehicle-options'
import { useZodForm } from '../lib/use-zod-form'
import { useTRPC } from '../trpc'
import type { TDriver } from './driver-form'

/** How far back the history goes (the API allows a year at once). */
const HISTORY_DAYS = 365
const DAY_MS = 86_400_000

interface TDriverAssignmentsProps {
  driver: TDriver
  isAdmin: boolean
  onNotice: (message: string) => void
}

/**
 * A driver's vehicles: what it drives now, (admins) assign it to a vehicle from now or an earlier
 * time, or end its stint, and every stint of the past year, newest first.
 */
export function DriverAssignments({ driver, isAdmin, onNotice }: TDriverAssignmentsProps) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const [range] = useState(() => ({ from: new Date(Date.now() - HISTORY_DAYS * DAY_MS) }))
  const history = useQuery(
    trpc.drivers.assignments.queryOptions({
      driverId: driver.id,
      from: range.from,
      // Open stints run on: ask up to a day ahead so a clock a little behind still sees them.
      to: new Date(range.from.getTime() + (HISTORY_DAYS + 1) * DAY_MS),
      limit: 200,
    }),
  )
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.drivers.pathKey() })
  const unassign = useMutation(
    trpc.drivers.unassign.mutationOptions({
      onSuccess: (answer) =>
        onNotice(
          answer.ended > 0 ? `${driver.name} unassigned.` : `${driver.name} drives nothing now.`,
        ),
      onSettled: refresh,
    }),
  )
  const stints = history.data?.items ?? []
  const current = stints.filter((stint) => stint.to === null)

  return (
    <section className="card" aria-labelledby="assignments-heading">
      <h2 id="assignments-heading">Assignments of {driver.name}</h2>
      <p>
        {current.length > 0
          ? `Drives ${current.map((stint) => stint.vehicleCode).join(', ')} now.`
          : 'Drives no vehicle now.'}
      </p>
      {isAdmin && (
        <>
          <AssignForm driver={driver} onAssigned={onNotice} />
          {current.length > 0 && (
            <p>
              <button
                type="button"
                className="secondary"
                disabled={unassign.isPending}
                onClick={() => unassign.mutate({ driverId: driver.id })}
              >
                Unassign {driver.name}
              </button>
            </p>
          )}
          <FormAlert message={unassign.error ? readFormError(unassign.error) : null} />
        </>
      )}
      <h3>History</h3>
      {history.error && (
        <p role="alert">Could not load the history: {readFormError(history.error)}</p>
      )}
      <DataTable caption={`Assignments of ${driver.name}`} columns={['Vehicle', 'From', 'To']}>
        {stints.map((stint) => (
          <tr key={stint.id}>
            <th scope="row">
              <a href={vehicleHref(stint.vehicleId)}>{stint.vehicleCode}</a>
            </th>
            <td>{formatDateTime(stint.from)}</td>
            <td>{stint.to ? formatDateTime(stint.to) : 'Now'}</td>
          </tr>
        ))}
      </DataTable>
      {history.data && stints.length === 0 && <p className="muted">No assignments this year.</p>}
    </section>
  )
}

/** Assigns the driver to a vehicle from now, or from the time given (never ahead). */
function AssignForm({ driver, onAssigned }: { driver: TDriver; onAssigned: (m: string) => void }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const vehicles = useVehicleOptions()
  const assign = useMutation(trpc.drivers.assign.mutationOptions())
  const form = useZodForm(
    ZAssignDriverInput,
    async (input, element) => {
      const stint = await assign.mutateAsync(input)
      await queryClient.invalidateQueries({ queryKey: trpc.drivers.pathKey() })
      element.reset()
      onAssigned(`${driver.name} assigned to ${stint.vehicleCode}.`)
    },
    {
      read: (values) => ({
        driverId: driver.id,
        vehicleId: values.vehicleId,
        from: values.from ? new Date(values.from) : undefined,
      }),
    },
  )
  return (
    <EntityForm
      heading={`Assign ${driver.name} to a vehicle`}
      form={form}
      onSubmitting={() => undefined}
      submitLabel="Assign"
    >
      <SelectField
        name="vehicleId"
        label="Vehicle"
        options={[{ value: '', label: 'Choose a vehicle' }, ...vehicles.options]}
        errors={form.fieldErrors.vehicleId}
      />
      <TextField
        name="from"
        label="From (blank: now)"
        type="datetime-local"
        errors={form.fieldErrors.from}
      />
    </EntityForm>
  )
}
