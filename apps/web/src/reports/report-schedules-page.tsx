import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ConfirmAction } from '../components/confirm-button'
import { DataTable } from '../components/data-table'
import { EnableToggle } from '../components/enable-toggle'
import { FormAlert } from '../components/form-alert'
import { StatusNotice } from '../components/status-notice'
import { formatDateTime } from '../lib/format'
import { usePageMessages } from '../lib/use-page-messages'
import { useTRPC } from '../trpc'
import { ReportScheduleForm } from './report-schedule-form'
import { describeTiming, type TReportSchedule } from './report-schedule-values'
import './report-schedules-page.css'

/**
 * Reports emailed on a schedule (admin): the daily summary and trips of the last day, week or
 * month as CSV files with a short summary. Add, edit, switch and remove schedules; with email
 * off on the server they are kept but nothing is sent, and the page says so.
 */
export function ReportSchedulesPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const [editing, setEditing] = useState<TReportSchedule | null>(null)
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const list = useQuery(trpc.reports.schedules.list.queryOptions())
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.reports.schedules.pathKey() })
  const update = useMutation(
    trpc.reports.schedules.update.mutationOptions({
      onSuccess: (s) =>
        setNotice(`Report schedule ${s.name} ${s.isEnabled ? 'enabled' : 'disabled'}.`),
      onError: showActionError,
      onSettled: invalidate,
    }),
  )
  const remove = useMutation(
    trpc.reports.schedules.remove.mutationOptions({
      onSuccess: (removed) => {
        setNotice('Report schedule removed.')
        setEditing((s) => (s?.id === removed.id ? null : s))
      },
      onError: showActionError,
      onSettled: invalidate,
    }),
  )
  const schedules = list.data?.items ?? []
  const orgTimeZone = list.data?.orgTimeZone ?? 'UTC'

  function startAction() {
    setNotice(null)
    setActionError(null)
  }

  return (
    <main className="page">
      <h1>Scheduled reports</h1>
      <p className="muted">
        Each report covers the last complete day, week (from the organization's week start) or month
        in its time zone and goes out at the chosen hour the day after, with the daily summary and
        the trips as CSV files.
      </p>
      {list.data?.isEmailEnabled === false && (
        <p role="status" className="card">
          Email is off on this server: schedules are kept and can be edited, but no report is sent
          until an administrator of the server sets up outgoing mail (SMTP_URL).
        </p>
      )}
      <StatusNotice message={notice} />
      {list.data && (
        <ReportScheduleForm
          key={editing?.id ?? 'new'}
          schedule={editing}
          orgTimeZone={orgTimeZone}
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
        caption="Report schedules"
        columns={['Name', 'When', 'Recipients', 'Vehicles', 'Next run', 'Last run', 'Actions']}
      >
        {schedules.map((schedule) => (
          <tr key={schedule.id}>
            <th scope="row">{schedule.name}</th>
            <td>{describeTiming(schedule, orgTimeZone)}</td>
            <td>{schedule.recipientUserIds.length}</td>
            <td>{schedule.vehicleIds === null ? 'All' : schedule.vehicleIds.length}</td>
            <td>{schedule.isEnabled ? formatDateTime(schedule.nextRunAt) : 'Disabled'}</td>
            <td>
              {schedule.lastRunAt ? formatDateTime(schedule.lastRunAt) : 'Never'}
              {schedule.lastError && <div className="field-error">{schedule.lastError}</div>}
            </td>
            <td className="row-actions">
              <button
                type="button"
                className="secondary"
                aria-label={`Edit report schedule ${schedule.name}`}
                onClick={() => {
                  startAction()
                  setEditing(schedule)
                }}
              >
                Edit
              </button>
              <EnableToggle
                isEnabled={schedule.isEnabled}
                what="report schedule"
                name={schedule.name}
                disabled={update.isPending}
                onToggle={() => {
                  startAction()
                  update.mutate({ id: schedule.id, isEnabled: !schedule.isEnabled })
                }}
              />
              <ConfirmAction
                verb="Remove"
                what="report schedule"
                name={schedule.name}
                isPending={remove.isPending}
                onConfirm={() => {
                  startAction()
                  remove.mutate({ id: schedule.id })
                }}
              />
            </td>
          </tr>
        ))}
      </DataTable>
      {list.isSuccess && schedules.length === 0 && (
        <p className="muted">No report schedules yet.</p>
      )}
      {list.isPending && <p aria-busy="true">Loading…</p>}
      {list.isError && <p role="alert">Could not load report schedules: {list.error.message}</p>}
    </main>
  )
}
