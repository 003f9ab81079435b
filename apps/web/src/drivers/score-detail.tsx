import { formatAlertKind } from '../alerts/alert-kinds'
import { LineChart } from '../charts/line-chart'
import { formatHoursMinutes, formatReading } from '../lib/format'
import { formatDayLabel } from '../lib/local-day'
import type { RouterOutputs } from '../trpc'
import {
  formatDriverName,
  formatPenalty,
  formatScore,
  formatScoreValue,
  formatWeight,
  SCORE_COMPONENTS,
  type TScoreComponent,
} from './driver-score'

export type TDriverReportRow = RouterOutputs['reports']['drivers']['drivers'][number]

/**
 * Why a driver scored what it did: each component's measure in its unit, its weight and the
 * points it cost; the alerts of its drives by kind; and its score week by week, as a chart and
 * as a table.
 */
export function ScoreDetail({ row }: { row: TDriverReportRow }) {
  const name = formatDriverName(row)
  const alerts = Object.entries(row.alertCounts).filter(([, count]) => count > 0)
  return (
    <div className="score-detail">
      <div>
        <h3>Why {formatScore(row.score)}</h3>
        <table className="data-table">
          <caption className="visually-hidden">Score breakdown of {name}</caption>
          <thead>
            <tr>
              <th scope="col">Component</th>
              <th scope="col">Measured</th>
              <th scope="col">Weight</th>
              <th scope="col">Points off</th>
            </tr>
          </thead>
          <tbody>
            {row.breakdown.map((line) => (
              <tr key={line.component}>
                <th scope="row">
                  {SCORE_COMPONENTS[line.component as TScoreComponent]?.label ?? line.component}
                </th>
                <td>{formatScoreValue(line)}</td>
                <td>{formatWeight(line.weight)}</td>
                <td>{formatPenalty(line.penalty)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {row.score === null && <p className="muted">No distance driven: no score.</p>}
        <p className="muted">
          The score is 100 minus the points off (never below 0). Idle time{' '}
          {formatHoursMinutes(row.idleSec)}.
        </p>
        <h3>Alerts</h3>
        {alerts.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul>
            {alerts.map(([kind, count]) => (
              <li key={kind}>
                {formatAlertKind(kind)}: {count}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <LineChart
          title={`Score per week of ${name}`}
          axisMax={100}
          formatValue={(value) => formatReading(value, '', 0)}
          points={row.weeks.map((week) => ({
            key: week.week,
            label: formatDayLabel(week.week),
            value: week.score,
          }))}
        />
        <table className="data-table">
          <caption className="visually-hidden">Weeks of {name}</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col">Distance</th>
              <th scope="col">Driving</th>
              <th scope="col">Score</th>
            </tr>
          </thead>
          <tbody>
            {row.weeks.map((week) => (
              <tr key={week.week}>
                <th scope="row">{week.week}</th>
                <td>{formatReading(week.distanceKm, 'km', 1)}</td>
                <td>{formatHoursMinutes(week.drivingSec)}</td>
                <td>{formatScore(week.score)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
