import { useQuery } from '@tanstack/react-query'
import { LineChart } from '../charts/line-chart'
import { DataTable } from '../components/data-table'
import { formatReading } from '../lib/format'
import { findLocalDateBefore, formatDateInput, TIME_ZONE } from '../lib/local-day'
import { useTRPC } from '../trpc'
import { listFuelPoints } from './fuel-check'

const DAYS = 30
const formatLitres = (value: number) => formatReading(value, 'L', value % 1 === 0 ? 0 : 1)

/** Litres the fleet used per day over the last 30 days (`reports.daily`'s day totals). */
export function FuelChart() {
  const trpc = useTRPC()
  const now = Date.now()
  const daily = useQuery(
    trpc.reports.daily.queryOptions({
      from: findLocalDateBefore(now, DAYS - 1),
      to: formatDateInput(now),
      timeZone: TIME_ZONE,
      includeDays: false,
    }),
  )
  if (!daily.data) return null
  const points = listFuelPoints(daily.data.dayTotals)
  if (!points) return <p className="muted">Set a tank size on vehicles to see litres.</p>
  return (
    <section aria-labelledby="fuel-used">
      <h2 id="fuel-used" className="visually-hidden">
        Litres used per day
      </h2>
      <LineChart title="Litres used per day" points={points} formatValue={formatLitres} />
      <details>
        <summary>Litres per day as a table</summary>
        <DataTable caption="Litres per day" columns={['Day', 'Used', 'Refuelled']}>
          {daily.data.dayTotals.map((day) => (
            <tr key={day.date}>
              <th scope="row">{day.date}</th>
              <td>{formatReading('fuelUsedL' in day ? day.fuelUsedL : null, 'L', 1)}</td>
              <td>{formatReading('refuelledL' in day ? day.refuelledL : null, 'L', 1)}</td>
            </tr>
          ))}
        </DataTable>
      </details>
    </section>
  )
}
