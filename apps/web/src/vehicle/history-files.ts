import type { THistoryExportFormat, THistoryImportSummary } from '@fms/api/schemas'
import { readFilename } from '../reports/daily-csv'

/** A refused export or import: the server's message, shown as it is. */
export class HistoryFileError extends Error {}

async function readError(response: Response, what: string): Promise<HistoryFileError> {
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null
  return new HistoryFileError(
    typeof body?.error === 'string' ? body.error : `The ${what} failed (${response.status})`,
  )
}

/** The streamed export of a vehicle's points over [from, to), gathered into a Blob to save. */
export async function fetchHistoryExport(params: {
  vehicleId: string
  format: THistoryExportFormat
  from: Date
  to: Date
  accessToken: string | null
}): Promise<{ filename: string; blob: Blob }> {
  const query = new URLSearchParams({
    from: params.from.toISOString(),
    to: params.to.toISOString(),
  })
  const response = await fetch(
    `/api/vehicles/${encodeURIComponent(params.vehicleId)}/history.${params.format}?${query}`,
    { headers: params.accessToken ? { Authorization: `Bearer ${params.accessToken}` } : {} },
  )
  if (!response.ok) throw await readError(response, 'export')
  return {
    filename: readFilename(response.headers.get('Content-Disposition'), `history.${params.format}`),
    blob: await response.blob(),
  }
}

export type TImportProgress = Omit<THistoryImportSummary, 'rejections'> & { bytes: number }
export type TImportSummary = THistoryImportSummary & { bytes: number; error?: string }

/**
 * Uploads a GPX or CSV file into a device's history and reads the NDJSON answer as it comes:
 * `onProgress` for each batch stored, then the summary.
 */
export async function importHistoryFile(params: {
  deviceId: string
  file: File
  accessToken: string | null
  onProgress: (progress: TImportProgress) => void
}): Promise<TImportSummary> {
  const format = params.file.name.toLowerCase().endsWith('.gpx') ? 'gpx' : 'csv'
  const response = await fetch(
    `/api/devices/${encodeURIComponent(params.deviceId)}/history?format=${format}`,
    {
      method: 'POST',
      headers: {
        'Content-Type': 'application/octet-stream',
        ...(params.accessToken ? { Authorization: `Bearer ${params.accessToken}` } : {}),
      },
      body: params.file,
    },
  )
  if (!response.ok || !response.body) throw await readError(response, 'import')
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffered = ''
  let summary: TImportSummary | null = null
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    buffered += value
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      if (!line.trim()) continue
      const message = JSON.parse(line) as { progress?: TImportProgress; summary?: TImportSummary }
      if (message.progress) params.onProgress(message.progress)
      if (message.summary) summary = message.summary
    }
  }
  if (!summary) throw new HistoryFileError('The import ended without a summary')
  return summary
}
