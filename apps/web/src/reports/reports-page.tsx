import { type TDailyReportInput, ZDailyReportInput } from '@fms/api/schemas'
import { useQuery } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { z } from 'zod'
import { FormAlert } from '../components/form-alert'
import { SelectField } from '../components/select-field'
import { TextField } from '../components/text-field'
import { downloadCsv } from '../lib/download'
import { readFormError, readServerFieldErrors, type TFieldErrors } from '../lib/form-errors'
import { formatDateTime, formatDuration, formatReading } from '../lib/format'
import { useDocumentTitle } from '../lib/use-document-title'
import { useVehicleOptions } from '../lib/use-vehicle-options'
import { useTRPC, useTRPCClient } from '../trpc'
import { formatTripLink } from './trip-link'

const DAY_MS = 86_400_000
const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone

/** `YYYY-MM-DD` of a local date. */
function toDateInput(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0')
  const day = String(date.getDate()).padStart(2, '0')
  return `${date.getFullYear()}-${month}-${day}`
}

/** The trips range of a daily input: local midnight of `from` to local midnight after `to`. */
function toTripsInput(input: TDailyReportInput) {
  const from = new Date(`${input.from}T00:00:00`)
  const to = new Date(new Date(`${input.to}T00:00:00`).getTime() + DAY_MS)
  return { vehicleId: input.vehicleId, from, to }
}

/** Daily summaries and trips over up to 31 days, for one vehicle or all, with CSV exports. */
export function ReportsPage() {
  useDocumentTitle('Reports')
  const trpc = useTRPC()
  const client = useTRPCClient()
  const vehicles = useVehicleOptions()
  const today = new Date()
  const [input, setInput] = useState<TDailyReportInput>(() => ({
    from: toDateInput(new Date(today.getTime() - 6 * DAY_MS)),
    to: toDateInput(today),
    timeZone: TIME_ZONE,
  }))
  const [errors, setErrors] = useState<TFieldErrors>({})
  const [exportError, setExportError] = useState<string | null>(null)
  const daily = useQuery(trpc.reports.daily.queryOptions(input))
  const trips = useQuery(trpc.reports.trips.queryOptions(toTripsInput(input)))

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const values = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>
    const parsed = ZDailyReportInput.safeParse({
      from: values.from,
      to: values.to,
      vehicleId: values.vehicleId || undefined,
      timeZone: TIME_ZONE,
    })
    if (!parsed.success) {
      setErrors(z.flattenError(parsed.error).fieldErrors)
      return
    }
    setErrors({})
    setInput(parsed.data)
  }

  async function exportCsv(which: 'daily' | 'trips') {
    setExportError(null)
    try {
      downloadCsv(
        which === 'daily'
          ? await client.reports.dailyCsv.query(input)
          : await client.reports.tripsCsv.query(toTripsInput(input)),
      )
    } catch (error) {
      setExportError(readFormError(error))
    }
  }

  const queryError = daily.error ?? trips.error
  const shownErrors = { ...readServerFieldErrors(queryError), ...errors }
  const days = daily.data?.vehicles.flatMap((vehicle) =>
    vehicle.days.map((day) => ({
      ...day,
      vehicleId: vehicle.vehicleId,
      code: vehicle.vehicleCode,
    })),
  )

  return (
    <main className="page">
      <h1>Reports</h1>
      <form className="filter-bar" aria-label="Report period" onSubmit={onSubmit} noValidate>
        <TextField
          name="from"
          label="From"
          type="date"
          defaultValue={input.from}
          errors={shownErrors.from}
        />
        <TextField
          name="to"
          label="To"
          type="date"
          defaultValue={input.to}
          errors={shownErrors.to}
        />
        <SelectField
          name="vehicleId"
          label="Vehicle"
          options={[{ value: '', label: 'All vehicles' }, ...vehicles.options]}
          defaultValue=""
          errors={shownErrors.vehicleId}
        />
        <button type="submit">Show report</button>
      </form>
      <p className="muted">At most 31 days; days in {TIME_ZONE}.</p>
      <FormAlert message={exportError} />
      {queryError && <p role="alert">Could not load the report: {readFormError(queryError)}</p>}

      <div className="table-heading">
        <h2>Daily summary</h2>
        <button type="button" className="secondary" onClick={() => void exportCsv('daily')}>
          Export daily CSV
        </button>
      </div>
      <table className="data-table">
        <caption className="visually-hidden">Daily summary</caption>
        <thead>
          <tr>
            <th scope="col">Vehicle and day</th>
            <th scope="col">Distance</th>
            <th scope="col">Driving</th>
            <th scope="col">Idle</th>
            <th scope="col">Max speed</th>
            <th scope="col">Average speed</th>
            <th scope="col">Fuel used</th>
            <th scope="col">Trips</th>
            <th scope="col">Alerts</th>
          </tr>
        </thead>
        <tbody>
          {days?.map((day) => (
            <tr key={`${day.vehicleId}-${day.date}`}>
              <th scope="row">
                {day.code} {day.date}
              </th>
              <td>{formatReading(day.distanceKm, 'km', 1)}</td>
              <td>{formatDuration(day.drivingSec * 1000)}</td>
              <td>{formatDuration(day.idleSec * 1000)}</td>
              <td>{formatReading(day.maxSpeed, 'km/h')}</td>
              <td>{formatReading(day.avgSpeed, 'km/h')}</td>
              <td>{formatReading(day.fuelUsedPct, '%', 1)}</td>
              <td>{day.tripCount}</td>
              <td>{Object.values(day.alertCounts).reduce((sum, count) => sum + count, 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {days?.length === 0 && <p className="muted">No vehicles in this report.</p>}
      {daily.data?.isUpToDate === false && (
        <p role="status" className="muted">
          Recent data is still being summarized: these figures will grow. Refresh in a minute.
        </p>
      )}
      {daily.isPending && <p aria-busy="true">Loading…</p>}

      <div className="table-heading">
        <h2>Trips</h2>
        <button type="button" className="secondary" onClick={() => void exportCsv('trips')}>
          Export trips CSV
        </button>
      </div>
      <table className="data-table">
        <caption className="visually-hidden">Trips</caption>
        <thead>
          <tr>
            <th scope="col">Vehicle and start</th>
            <th scope="col">End</th>
            <th scope="col">Distance</th>
            <th scope="col">Driving</th>
            <th scope="col">Max speed</th>
            <th scope="col">Average speed</th>
            <th scope="col">Replay</th>
          </tr>
        </thead>
        <tbody>
          {trips.data?.trips.map((trip) => (
            <tr key={`${trip.vehicleId}-${trip.start}`}>
              <th scope="row">
                {trip.vehicleCode} {formatDateTime(trip.start)}
              </th>
              <td>{trip.isComplete ? formatDateTime(trip.end) : 'Under way'}</td>
              <td>{formatReading(trip.distanceKm, 'km', 1)}</td>
              <td>{formatDuration(trip.drivingSec * 1000)}</td>
              <td>{formatReading(trip.maxSpeed, 'km/h')}</td>
              <td>{formatReading(trip.avgSpeed, 'km/h')}</td>
              <td>
                <a
                  href={formatTripLink(trip)}
                  aria-label={`Replay trip of ${trip.vehicleCode} from ${formatDateTime(trip.start)}`}
                >
                  Replay
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {trips.data?.trips.length === 0 && <p className="muted">No trips in this period.</p>}
    </main>
  )
}
