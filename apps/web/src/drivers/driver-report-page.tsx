import { DRIVER_REPORT_MAX_DAYS, ZDriversReportInput } from '@fms/api/schemas'
import { useQuery } from '@tanstack/react-query'
import { type FormEvent, Fragment, useState } from 'react'
import { z } from 'zod'
import { TextField } from '../components/text-field'
import { readFormError, readServerFieldErrors, type TFieldErrors } from '../lib/form-errors'
import { formatHoursMinutes, formatReading } from '../lib/format'
import { hrefTo } from '../lib/hash-route'
import { TIME_ZONE } from '../lib/local-day'
import { useIsAdmin } from '../shell/use-me'
import { useTRPC } from '../trpc'
import { formatDriverName, formatScore } from './driver-score'
import { findDefaultReportDates, toReportRange } from './report-range'
import { ScoreDetail, type TDriverReportRow } from './score-detail'
import { ScoreWeights } from './score-weights-form'
import './drivers.css'

const DATE_FIELDS = [
  { name: 'from', label: 'From' },
  { name: 'to', label: 'To' },
] as const

/** A row's key: the driver, or for an unknown one its identifier. */
function findRowKey(row: TDriverReportRow): string {
  return row.driverId ?? `?${row.identifier}`
}

function countAlerts(row: TDriverReportRow): number {
  return Object.values(row.alertCounts).reduce((sum, count) => sum + count, 0)
}

/**
 * Each driver over a period (default the last four weeks): distance, driving time, trips,
 * alerts and score; a row opens to show why (the breakdown) and how it went week by week.
 */
export function DriverReportPage() {
  const trpc = useTRPC()
  const isAdmin = useIsAdmin()
  const [dates, setDates] = useState(() => findDefaultReportDates(Date.now()))
  const [errors, setErrors] = useState<TFieldErrors>({})
  const [openKey, setOpenKey] = useState<string | null>(null)
  const report = useQuery(
    trpc.reports.drivers.queryOptions({ ...toReportRange(dates), timeZone: TIME_ZONE }),
  )

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const values = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>
    const next = { from: values.from ?? '', to: values.to ?? '' }
    const parsed = ZDriversReportInput.safeParse({ ...toReportRange(next), timeZone: TIME_ZONE })
    if (!parsed.success) {
      setErrors(z.flattenError(parsed.error).fieldErrors)
      return
    }
    setErrors({})
    setDates(next)
  }

  const shownErrors = { ...readServerFieldErrors(report.error), ...errors }
  const rows = report.data?.drivers ?? []

  return (
    <main className="page">
      <div className="table-heading">
        <h1>Driver report</h1>
        <a className="button-link" href={hrefTo('drivers')}>
          Drivers
        </a>
      </div>
      <form className="filter-bar" aria-label="Report period" onSubmit={onSubmit} noValidate>
        {DATE_FIELDS.map((field) => (
          <TextField
            key={field.name}
            name={field.name}
            label={field.label}
            type="date"
            defaultValue={dates[field.name]}
            errors={shownErrors[field.name]}
          />
        ))}
        <button type="submit">Show report</button>
      </form>
      <p className="muted">
        At most {DRIVER_REPORT_MAX_DAYS} days; weeks start on Monday in {TIME_ZONE}.
      </p>
      {report.error && <p role="alert">Could not load the report: {readFormError(report.error)}</p>}
      <table className="data-table">
        <caption className="visually-hidden">Drivers</caption>
        <thead>
          <tr>
            <th scope="col">Driver</th>
            <th scope="col">Distance</th>
            <th scope="col">Driving</th>
            <th scope="col">Trips</th>
            <th scope="col">Alerts</th>
            <th scope="col">Score</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = findRowKey(row)
            const name = formatDriverName(row)
            const isOpen = key === openKey
            return (
              <Fragment key={key}>
                <tr>
                  <th scope="row">
                    <button
                      type="button"
                      className="link-button"
                      aria-expanded={isOpen}
                      aria-label={`Why ${name} scored ${formatScore(row.score)}`}
                      onClick={() => setOpenKey(isOpen ? null : key)}
                    >
                      {name}
                    </button>
                  </th>
                  <td>{formatReading(row.distanceKm, 'km', 1)}</td>
                  <td>{formatHoursMinutes(row.drivingSec)}</td>
                  <td>{row.tripCount}</td>
                  <td>{countAlerts(row)}</td>
                  <td>{formatScore(row.score)}</td>
                </tr>
                {isOpen && (
                  <tr>
                    <td colSpan={6}>
                      <ScoreDetail row={row} />
                    </td>
                  </tr>
                )}
              </Fragment>
            )
          })}
        </tbody>
      </table>
      {report.data && rows.length === 0 && (
        <p className="muted">Nobody drove in this period (as far as assignments tell).</p>
      )}
      {report.isPending && <p aria-busy="true">Loading…</p>}
      <ScoreWeights isAdmin={isAdmin} />
    </main>
  )
}
