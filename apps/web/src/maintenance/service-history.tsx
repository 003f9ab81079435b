import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { DataTable } from '../components/data-table'
import { FormAlert } from '../components/form-alert'
import { downloadCsv } from '../lib/download'
import { readFormError } from '../lib/form-errors'
import { formatDateTime, formatReading } from '../lib/format'
import { useTRPC, useTRPCClient } from '../trpc'

const SHOWN = 100

/** The service book, newest first, with the whole book (up to the server's limit) as CSV. */
export function ServiceHistory() {
  const trpc = useTRPC()
  const client = useTRPCClient()
  const history = useQuery(trpc.maintenance.history.queryOptions({ limit: SHOWN }))
  const [exportError, setExportError] = useState<string | null>(null)
  const [isExporting, setIsExporting] = useState(false)
  const items = history.data?.items ?? []

  async function exportCsv() {
    setExportError(null)
    setIsExporting(true)
    try {
      downloadCsv(await client.maintenance.historyCsv.query({ limit: 5000 }))
    } catch (error) {
      setExportError(readFormError(error))
    } finally {
      setIsExporting(false)
    }
  }

  return (
    <section aria-labelledby="service-history">
      <div className="table-heading">
        <h2 id="service-history">Service history</h2>
        <button type="button" className="secondary" onClick={exportCsv} disabled={isExporting}>
          Download CSV
        </button>
      </div>
      <FormAlert message={exportError} />
      <DataTable
        caption="Service history"
        columns={['Date', 'Vehicle', 'Schedule', 'Odometer', 'Engine hours', 'Cost', 'Notes']}
      >
        {items.map((service) => (
          <tr key={service.id}>
            <td>{formatDateTime(service.performedAt)}</td>
            <th scope="row">{service.vehicleCode}</th>
            <td>{service.scheduleName ?? 'Other work'}</td>
            <td>{formatReading(service.odometerKm, 'km', 0)}</td>
            <td>{formatReading(service.engineHours, 'h', 1)}</td>
            <td>{formatReading(service.cost, '', 2)}</td>
            <td>{service.notes ?? '–'}</td>
          </tr>
        ))}
      </DataTable>
      {history.isSuccess && items.length === 0 && <p className="muted">No services logged yet.</p>}
    </section>
  )
}
