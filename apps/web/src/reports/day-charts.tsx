import { BarChart } from '../charts/bar-chart'
import { formatDuration, formatReading } from '../lib/format'
import { DAY_FIGURES, listDayBars, type TDayTotals } from './day-series'

const formatKm = (value: number) => formatReading(value, 'km', 1)
const formatHours = (value: number) => formatReading(value, 'h', 1)
const formatTick = (value: number) => formatReading(value, '', value % 1 === 0 ? 0 : 1)

/**
 * The period's days as charts: distance and driving time per day, over the report's vehicles
 * (the whole fleet, or the one chosen). The same figures are in the tables below them.
 */
export function DayCharts({ days }: { days: readonly TDayTotals[] }) {
  return (
    <div className="chart-row">
      <BarChart
        title={DAY_FIGURES.distance.title}
        bars={listDayBars(days, 'distance')}
        formatValue={formatKm}
        formatTick={formatTick}
      />
      <BarChart
        title={DAY_FIGURES.driving.title}
        bars={listDayBars(days, 'driving')}
        formatValue={formatHours}
        formatTick={formatTick}
      />
    </div>
  )
}

/** The fleet's figures per day: the numbers behind the charts, when no vehicle is chosen. */
export function FleetDaysTable({ days }: { days: readonly TDayTotals[] }) {
  return (
    <table className="data-table">
      <caption className="visually-hidden">Fleet per day</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col">Distance</th>
          <th scope="col">Driving</th>
          <th scope="col">Idle</th>
          <th scope="col">Trips</th>
          <th scope="col">Alerts</th>
        </tr>
      </thead>
      <tbody>
        {days.map((day) => (
          <tr key={day.date}>
            <th scope="row">{day.date}</th>
            <td>{formatKm(day.distanceKm)}</td>
            <td>{formatDuration(day.drivingSec * 1000)}</td>
            <td>{formatDuration(day.idleSec * 1000)}</td>
            <td>{day.tripCount}</td>
            <td>{Object.values(day.alertCounts).reduce((sum, count) => sum + count, 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
