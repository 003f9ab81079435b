import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { EditRemoveActions } from '../admin/edit-remove-actions'
import { DataTable } from '../components/data-table'
import { FormAlert } from '../components/form-alert'
import { StatusNotice } from '../components/status-notice'
import { formatReading } from '../lib/format'
import { usePageMessages } from '../lib/use-page-messages'
import { useIsAdmin } from '../shell/use-me'
import { useTRPC } from '../trpc'
import { DueTable } from './due-table'
import { DUE_SECTIONS, formatIntervals, groupDueRows, type TSchedule } from './maintenance-due'
import { ScheduleForm } from './schedule-form'
import { ServiceForm } from './service-form'
import { ServiceHistory } from './service-history'
import './maintenance.css'

/**
 * Maintenance: what is overdue, due soon and upcoming, every vehicle's odometer and engine hours,
 * logging a service and the service book. Admins plan the schedules; everyone logs services.
 */
export function MaintenancePage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const isAdmin = useIsAdmin()
  const [editing, setEditing] = useState<TSchedule | null>(null)
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const list = useQuery(trpc.maintenance.list.queryOptions({}))
  const readings = useQuery(trpc.maintenance.readings.queryOptions())
  const remove = useMutation(
    trpc.maintenance.remove.mutationOptions({
      onSuccess: (schedule) => setNotice(`Schedule ${schedule.name} removed.`),
      onError: showActionError,
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.maintenance.pathKey() }),
    }),
  )
  const schedules = list.data?.items ?? []
  const groups = useMemo(() => groupDueRows(list.data?.items ?? []), [list.data])
  const vehicleReadings = readings.data?.items ?? []

  return (
    <main className="page">
      <h1>Maintenance</h1>
      <StatusNotice message={notice} />
      {DUE_SECTIONS.map((section) => (
        <DueTable
          key={section.status}
          title={section.title}
          rows={groups[section.status]}
          emptyText={section.emptyText}
        />
      ))}
      <ServiceForm
        schedules={schedules}
        readings={vehicleReadings}
        onSaved={setNotice}
        onSubmitting={() => setNotice(null)}
      />
      <ServiceHistory />
      <section aria-labelledby="vehicle-readings">
        <h2 id="vehicle-readings">Odometer and engine hours now</h2>
        <DataTable
          caption="Odometer and engine hours now"
          columns={['Vehicle', 'Odometer', 'Engine hours']}
        >
          {vehicleReadings.map((reading) => (
            <tr key={reading.vehicleId}>
              <th scope="row">{reading.vehicleCode}</th>
              <td>{formatReading(reading.odometerKm, 'km', 1)}</td>
              <td>{formatReading(reading.engineHours, 'h', 1)}</td>
            </tr>
          ))}
        </DataTable>
      </section>
      <section aria-labelledby="schedules">
        <h2 id="schedules">Schedules</h2>
        {isAdmin && (
          <ScheduleForm
            key={editing?.id ?? 'new'}
            schedule={editing}
            onSaved={(message) => {
              setNotice(message)
              setEditing(null)
            }}
            onCancel={() => setEditing(null)}
            onSubmitting={() => setNotice(null)}
          />
        )}
        <FormAlert message={actionError} />
        <DataTable
          caption="Schedules"
          columns={['Name', 'For', 'Interval', 'Notes', isAdmin && 'Actions']}
        >
          {schedules.map((schedule) => (
            <tr key={schedule.id}>
              <th scope="row">{schedule.name}</th>
              <td>
                {schedule.vehicleType
                  ? `Every ${schedule.vehicleType}`
                  : (schedule.vehicles[0]?.vehicleCode ?? '–')}
              </td>
              <td>{formatIntervals(schedule)}</td>
              <td>{schedule.notes ?? '–'}</td>
              {isAdmin && (
                <EditRemoveActions
                  what="schedule"
                  name={schedule.name}
                  onEdit={() => setEditing(schedule)}
                  onRemove={() => {
                    setActionError(null)
                    remove.mutate({ id: schedule.id })
                  }}
                />
              )}
            </tr>
          ))}
        </DataTable>
        {list.isSuccess && schedules.length === 0 && <p className="muted">No schedules yet.</p>}
      </section>
    </main>
  )
}
