import type { ZDailyCsvInput } from '@fms/api/schemas'
import type { z } from 'zod'

/** The server's streamed daily CSV (plain HTTP, the same bearer token as tRPC). */
export const DAILY_CSV_PATH = '/api/reports/daily.csv'

/** What the daily CSV is asked for: the report's period, zone and vehicle. */
export type TDailyCsvFilter = z.input<typeof ZDailyCsvInput>

/** The export's URL: only the parameters that are set (an empty vehicle id is refused). */
export function toDailyCsvUrl(filter: TDailyCsvFilter): string {
  const query = new URLSearchParams({ from: filter.from, to: filter.to })
  if (filter.timeZone) query.set('timeZone', filter.timeZone)
  if (filter.vehicleId) query.set('vehicleId', filter.vehicleId)
  return `${DAILY_CSV_PATH}?${query}`
}

/** The file name the server gave (`attachment; filename="…"`), or `fallback`. */
export function readFilename(disposition: string | null, fallback: string): string {
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? fallback
}

/** A refused export: the server's message, shown as it is. */
export class CsvExportError extends Error {}

/**
 * Fetches the daily CSV. The server streams it in pieces; the browser gathers the pieces into a
 * Blob (kept outside the JavaScript heap) to save as a file.
 */
export async function fetchDailyCsv(
  filter: TDailyCsvFilter,
  accessToken: string | null,
): Promise<{ filename: string; blob: Blob }> {
  const response = await fetch(toDailyCsvUrl(filter), {
    headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : {},
  })
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null
    throw new CsvExportError(
      typeof body?.error === 'string' ? body.error : `The export failed (${response.status})`,
    )
  }
  const fallback = `fms-daily-${filter.from}_${filter.to}.csv`
  return {
    filename: readFilename(response.headers.get('Content-Disposition'), fallback),
    blob: await response.blob(),
  }
}
