import { HISTORY_EXPORT_FORMATS, type THistoryExportFormat } from '@fms/api/schemas'
import { useState } from 'react'
import { session } from '../auth/session'
import { FormAlert } from '../components/form-alert'
import { downloadBlob } from '../lib/download'
import { fetchHistoryExport, HistoryFileError } from './history-files'

/** Download buttons for the shown range's points as GPX, KML or CSV. */
export function HistoryExportButtons({
  vehicleId,
  from,
  to,
}: {
  vehicleId: string
  from: Date
  to: Date
}) {
  const [pending, setPending] = useState<THistoryExportFormat | null>(null)
  const [error, setError] = useState<string | null>(null)

  async function download(format: THistoryExportFormat) {
    setPending(format)
    setError(null)
    try {
      const accessToken = await session.getAccessToken()
      const file = await fetchHistoryExport({ vehicleId, format, from, to, accessToken })
      downloadBlob(file.filename, file.blob)
    } catch (caught) {
      setError(caught instanceof HistoryFileError ? caught.message : 'The export failed')
    } finally {
      setPending(null)
    }
  }

  return (
    <div className="history-export">
      {HISTORY_EXPORT_FORMATS.map((format) => (
        <button
          key={format}
          type="button"
          className="secondary"
          disabled={pending !== null}
          onClick={() => void download(format)}
        >
          {pending === format ? 'Exporting…' : `Export ${format.toUpperCase()}`}
        </button>
      ))}
      <FormAlert message={error} />
    </div>
  )
}
