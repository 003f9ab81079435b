import { formatDuration, formatReading } from '../lib/format'
import type { RouterOutputs } from '../trpc'

type TVehicleSummaries = RouterOutputs['reports']['daily']['vehicles'][number]
type TSummary = TVehicleSummaries['days'][number] | NonNullable<TVehicleSummaries['total']>

const FIGURE_HEADINGS = [
  'Distance',
  'Driving',
  'Idle',
  'Max speed',
  'Average speed',
  'Fuel used',
  'Trips',
  'Alerts',
] as const

function FigureHeadings() {
  return FIGURE_HEADINGS.map((heading) => (
    <th key={heading} scope="col">
      {heading}
    </th>
  ))
}

/** One cell per figure, in FIGURE_HEADINGS order; dashes when there is no summary. */
function FigureCells({ summary }: { summary: TSummary | null }) {
  if (!summary) return FIGURE_HEADINGS.map((heading) => <td key={heading}>–</td>)
  const alerts = Object.values(summary.alertCounts).reduce((sum, count) => sum + count, 0)
  return (
    <>
      <td>{formatReading(summary.distanceKm, 'km', 1)}</td>
      <td>{formatDuration(summary.drivingSec * 1000)}</td>
      <td>{formatDuration(summary.idleSec * 1000)}</td>
      <td>{formatReading(summary.maxSpeed, 'km/h')}</td>
      <td>{formatReading(summary.avgSpeed, 'km/h')}</td>
      <td>{formatReading(summary.fuelUsedPct, '%', 1)}</td>
      <td>{summary.tripCount}</td>
      <td>{alerts}</td>
    </>
  )
}

/** One row per vehicle with its totals over the period; its code shows that vehicle's days. */
export function VehicleTotalsTable(props: {
  vehicles: readonly TVehicleSummaries[] | undefined
  onShowVehicle: (vehicle: TVehicleSummaries) => void
}) {
  return (
    <>
      <table className="data-table">
        <caption className="visually-hidden">Vehicle totals</caption>
        <thead>
          <tr>
            <th scope="col">Vehicle</th>
            <FigureHeadings />
          </tr>
        </thead>
        <tbody>
          {props.vehicles?.map((vehicle) => (
            <tr key={vehicle.vehicleId}>
              <th scope="row">
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Show the days of ${vehicle.vehicleCode}`}
                  onClick={() => props.onShowVehicle(vehicle)}
                >
                  {vehicle.vehicleCode}
                </button>
              </th>
              <FigureCells summary={vehicle.total} />
            </tr>
          ))}
        </tbody>
      </table>
      {props.vehicles?.length === 0 && <p className="muted">No vehicles in this report.</p>}
    </>
  )
}

/** One row per vehicle and day. */
export function DailySummaryTable(props: { vehicles: readonly TVehicleSummaries[] | undefined }) {
  return (
    <table className="data-table">
      <caption className="visually-hidden">Daily summary</caption>
      <thead>
        <tr>
          <th scope="col">Vehicle and day</th>
          <FigureHeadings />
        </tr>
      </thead>
      <tbody>
        {props.vehicles?.flatMap((vehicle) =>
          vehicle.days.map((day) => (
            <tr key={`${vehicle.vehicleId}-${day.date}`}>
              <th scope="row">
                {vehicle.vehicleCode} {day.date}
              </th>
              <FigureCells summary={day} />
            </tr>
          )),
        )}
      </tbody>
    </table>
  )
}
