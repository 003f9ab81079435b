import { DataTable } from '../components/data-table'
import { formatDateTime } from '../lib/format'
import { formatDuePoint, formatRemaining, type TDueRow } from './maintenance-due'

interface TDueTableProps {
  title: string
  rows: readonly TDueRow[]
  emptyText: string
}

/** One due section (Overdue, Due soon, Upcoming): what is left of each interval and the date due. */
export function DueTable({ title, rows, emptyText }: TDueTableProps) {
  const headingId = `due-${title.toLowerCase().replace(/\W+/g, '-')}`
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>
        {title} <span className="muted">({rows.length})</span>
      </h2>
      {rows.length === 0 ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <DataTable
          caption={title}
          columns={['Vehicle', 'Schedule', 'Km', 'Engine hours', 'Days', 'Due']}
        >
          {rows.map(({ key, schedule, due }) => (
            <tr key={key} className={`due-${due.status}`}>
              <th scope="row">{due.vehicleCode}</th>
              <td>{schedule.name}</td>
              <td>{formatRemaining(due.remainingKm, 'km')}</td>
              <td>{formatRemaining(due.remainingHours, 'hours')}</td>
              <td>{formatRemaining(due.remainingDays, 'days')}</td>
              <td>{formatDuePoint(due, formatDateTime)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  )
}
