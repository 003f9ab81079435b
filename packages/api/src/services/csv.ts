export type CsvCell = string | number | boolean | null | undefined

/**
 * One CSV cell (RFC 4180). Text starting with = + - @ (or a tab / carriage return) is prefixed
 * with a quote so spreadsheets do not run it as a formula; numbers are written as they are.
 */
export function formatCsvCell(value: CsvCell): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** CSV rows, each ended by CRLF: a document, or a piece of one. */
export function formatCsvRows(rows: readonly (readonly CsvCell[])[]) {
  return rows.map((row) => `${row.map(formatCsvCell).join(',')}\r\n`).join('')
}

/** A CSV document: a header row, then one row per record, CRLF line ends. */
export function formatCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]) {
  return formatCsvRows([header, ...rows])
}

export function formatIsoTime(time: number | null | undefined): string {
  return time === null || time === undefined ? '' : new Date(time).toISOString()
}

export function roundTo(value: number | null | undefined, digits: number): number | null {
  if (value === null || value === undefined) return null
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}
