import { REPORT_MAX_VEHICLES, ZDailyReportInput } from '@fms/api/schemas'
import { useQuery } from '@tanstack/react-query'
import { type FormEvent, useRef, useState } from 'react'
import { z } from 'zod'
import { session } from '../auth/session'
import { FormAlert } from '../components/form-alert'
import { SelectField } from '../components/select-field'
import { TextField } from '../components/text-field'
import { downloadBlob, downloadCsv } from '../lib/download'
import { readFormError, readServerFieldErrors, type TFieldErrors } from '../lib/form-errors'
import { hrefTo } from '../lib/hash-route'
import { findLocalDateBefore, formatDateInput, TIME_ZONE } from '../lib/local-day'
import { useVehicleOptions } from '../lib/use-vehicle-options'
import { useIsAdmin } from '../shell/use-me'
import { useTRPC, useTRPCClient } from '../trpc'
import { CsvExportError, fetchDailyCsv } from './daily-csv'
import { DayCharts, FleetDaysTable } from './day-charts'
import { DailySummaryTable, VehicleTotalsTable } from './summary-tables'
import { TripsTable } from './trips-table'

const DAY_MS = 86_400_000

/** The report asked for: a period and optionally one vehicle (`includeDays` is chosen here). */
type TReportFilter = Omit<z.input<typeof ZDailyReportInput>, 'includeDays'>

/** The period's two ends, as date inputs. */
const DATE_FIELDS = [
  { name: 'from', label: 'From' },
  { name: 'to', label: 'To' },
] as const

interface TOption {
  value: string
  label: string
}

/** The trips range of a filter: local midnight of `from` to local midnight after `to`. */
function toTripsInput(filter: TReportFilter) {
  const from = new Date(`${filter.from}T00:00:00`)
  const to = new Date(new Date(`${filter.to}T00:00:00`).getTime() + DAY_MS)
  return { vehicleId: filter.vehicleId, from, to }
}

/**
 * Reports over up to 31 days, with CSV exports. For the whole fleet: each vehicle's totals (not
 * its days, which would be tens of thousands of rows), and trips only while the fleet is small
 * enough for `reports.trips`; for one vehicle, its days and trips.
 */
export function ReportsPage() {
  const trpc = useTRPC()
  const isAdmin = useIsAdmin()
  const client = useTRPCClient()
  const vehicles = useVehicleOptions()
  const dailyHeading = useRef<HTMLHeadingElement>(null)
  const [filter, setFilter] = useState<TReportFilter>(() => {
    const now = Date.now()
    return { from: findLocalDateBefore(now, 6), to: formatDateInput(now), timeZone: TIME_ZONE }
  })
  const [vehicleField, setVehicleField] = useState('')
  /** A vehicle chosen from the totals, kept as an option in case it is past the loaded ones. */
  const [chosenOption, setChosenOption] = useState<TOption | null>(null)
  const [errors, setErrors] = useState<TFieldErrors>({})
  const [exportError, setExportError] = useState<string | null>(null)
  const isFleet = !filter.vehicleId
  const daily = useQuery(trpc.reports.daily.queryOptions({ ...filter, includeDays: !isFleet }))
  // Without a vehicle, reports.trips refuses fleets over REPORT_MAX_VEHICLES; the totals (one
  // row per vehicle, up to DAILY_MAX_VEHICLES) say how big the fleet is.
  const fleetSize = isFleet ? daily.data?.vehicles.length : undefined
  const hasTooManyForTrips = fleetSize !== undefined && fleetSize > REPORT_MAX_VEHICLES
  const canListTrips = !isFleet || (fleetSize !== undefined && !hasTooManyForTrips)
  const trips = useQuery({
    ...trpc.reports.trips.queryOptions(toTripsInput(filter)),
    enabled: canListTrips,
  })

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
    const { includeDays: _, ...next } = parsed.data
    setFilter(next)
  }

  function showVehicle(vehicle: { vehicleId: string; vehicleCode: string }) {
    setVehicleField(vehicle.vehicleId)
    setChosenOption({ value: vehicle.vehicleId, label: vehicle.vehicleCode })
    setFilter((current) => ({ ...current, vehicleId: vehicle.vehicleId }))
    // The clicked button goes away with the totals: keep the focus on the report.
    dailyHeading.current?.focus()
  }

  async function exportCsv(which: 'daily' | 'trips') {
    setExportError(null)
    try {
      if (which === 'daily') {
        // Streamed by the server over plain HTTP: a whole fleet's month is too big for one call.
        const { filename, blob } = await fetchDailyCsv(filter, await session.getAccessToken())
        downloadBlob(filename, blob)
      } else {
        downloadCsv(await client.reports.tripsCsv.query(toTripsInput(filter)))
      }
    } catch (error) {
      setExportError(error instanceof CsvExportError ? error.message : readFormError(error))
    }
  }

  const shownErrors = {
    ...readServerFieldErrors(trips.error),
    ...readServerFieldErrors(daily.error),
    ...errors,
  }
  const vehicleOptions =
    chosenOption && !vehicles.codes.has(chosenOption.value)
      ? [...vehicles.options, chosenOption]
      : vehicles.options

  return (
    <main className="page">
      <div className="table-heading">
        <h1>Reports</h1>
        {isAdmin && (
          <a className="button-link" href={hrefTo('reportSchedules')}>
            Scheduled reports
          </a>
        )}
      </div>
      <form className="filter-bar" aria-label="Report period" onSubmit={onSubmit} noValidate>
        {DATE_FIELDS.map((field) => (
          <TextField
            key={field.name}
            name={field.name}
            label={field.label}
            type="date"
            defaultValue={filter[field.name]}
            errors={shownErrors[field.name]}
          />
        ))}
        <SelectField
          name="vehicleId"
          label="Vehicle"
          options={[{ value: '', label: 'All vehicles' }, ...vehicleOptions]}
          value={vehicleField}
          onChange={(event) => setVehicleField(event.currentTarget.value)}
          errors={shownErrors.vehicleId}
        />
        <button type="submit">Show report</button>
      </form>
      <p className="muted">At most 31 days; days in {TIME_ZONE}.</p>
      <FormAlert message={exportError} />

      <h2>Per day</h2>
      {daily.data && <DayCharts days={daily.data.dayTotals} />}
      {isFleet && daily.data && <FleetDaysTable days={daily.data.dayTotals} />}

      <div className="table-heading">
        <h2 ref={dailyHeading} tabIndex={-1}>
          {isFleet ? 'Vehicle totals' : 'Daily summary'}
        </h2>
        <button type="button" className="secondary" onClick={() => void exportCsv('daily')}>
          Export daily CSV
        </button>
      </div>
      {daily.error && <p role="alert">Could not load the report: {readFormError(daily.error)}</p>}
      {isFleet ? (
        <VehicleTotalsTable vehicles={daily.data?.vehicles} onShowVehicle={showVehicle} />
      ) : (
        <DailySummaryTable vehicles={daily.data?.vehicles} />
      )}
      {daily.data?.isUpToDate === false && (
        <p role="status" className="muted">
          Recent data is still being summarized: these figures will grow. Refresh in a minute.
        </p>
      )}
      {daily.isPending && <p aria-busy="true">Loading…</p>}

      <div className="table-heading">
        <h2>Trips</h2>
        <button
          type="button"
          className="secondary"
          disabled={hasTooManyForTrips}
          onClick={() => void exportCsv('trips')}
        >
          Export trips CSV
        </button>
      </div>
      {trips.error && <p role="alert">Could not load the trips: {readFormError(trips.error)}</p>}
      {hasTooManyForTrips ? (
        <p className="muted">Choose a vehicle to list its trips.</p>
      ) : (
        <TripsTable trips={trips.data?.trips} />
      )}
      {canListTrips && trips.isPending && <p aria-busy="true">Loading…</p>}
    </main>
  )
}
