import { useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { session } from '../auth/session'
import { FormAlert } from '../components/form-alert'
import { formatCount } from '../lib/format'
import { useTRPC } from '../trpc'
import {
  HistoryFileError,
  importHistoryFile,
  type TImportProgress,
  type TImportSummary,
} from './history-files'

/** Imports a GPX or CSV file into a device's history, showing progress and the summary. */
export function HistoryImport({ deviceId }: { deviceId: string }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const fileId = useId()
  const [file, setFile] = useState<File | null>(null)
  const [progress, setProgress] = useState<TImportProgress | null>(null)
  const [summary, setSummary] = useState<TImportSummary | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [isRunning, setIsRunning] = useState(false)

  async function submit(event: React.FormEvent) {
    event.preventDefault()
    if (!file) return
    setIsRunning(true)
    setError(null)
    setSummary(null)
    setProgress(null)
    try {
      const accessToken = await session.getAccessToken()
      setSummary(await importHistoryFile({ deviceId, file, accessToken, onProgress: setProgress }))
      void queryClient.invalidateQueries({ queryKey: trpc.telemetry.pathKey() })
    } catch (caught) {
      setError(caught instanceof HistoryFileError ? caught.message : 'The import failed')
    } finally {
      setIsRunning(false)
    }
  }

  return (
    <section className="history-import" aria-label="Import history">
      <h4>Import history</h4>
      <form className="inline-form" onSubmit={(event) => void submit(event)}>
        <div className="field inline-field">
          <label htmlFor={fileId}>GPX or CSV file</label>
          <input
            id={fileId}
            type="file"
            accept=".gpx,.csv,application/gpx+xml,text/csv"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </div>
        <button type="submit" disabled={!file || isRunning}>
          {isRunning ? 'Importing…' : 'Import'}
        </button>
      </form>
      <FormAlert message={error} />
      {isRunning && file && (
        <p aria-live="polite">
          <progress max={file.size} value={progress?.bytes ?? 0} />{' '}
          {progress ? `${formatCount(progress.read)} points read` : 'Uploading…'}
        </p>
      )}
      {summary && (
        <div role="status" data-testid="import-summary">
          <p>
            {formatCount(summary.stored)} stored, {formatCount(summary.duplicates)} already there
            (skipped), {formatCount(summary.rejected)} rejected.
          </p>
          {summary.error && <p role="alert">{summary.error}</p>}
          {summary.rejections.length > 0 && (
            <ul>
              {summary.rejections.map((r) => (
                <li key={`${r.at}-${r.error}`}>
                  {r.at}: {r.error}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  )
}
