import { HISTORY_CSV_COLUMNS } from '@fms/api'
import { SaxesParser } from 'saxes'

/** A point read from a file, in the device wire format, with where it was found. */
export interface FilePoint {
  point: Record<string, unknown>
  /** `line 12` (CSV) or `trkpt 7` (GPX). */
  at: string
}

/** The file is not what its format says (it stops the import). */
export class HistoryFileError extends Error {}

/** Takes the file's bytes a chunk at a time; returns the points each chunk completed. */
export interface HistoryParser {
  write(chunk: string): FilePoint[]
  /** The end of the file: the points still held, or a HistoryFileError. */
  end(): FilePoint[]
}

const KMH_PER_MS = 3.6
/** A CSV record longer than this is not a history row (and is not held in memory). */
const MAX_RECORD_CHARS = 64 * 1024

/**
 * GPX 1.0/1.1 track points (`trkpt`), streamed through saxes: lat/lon, `ele` (altitude), `time`,
 * and speed (m/s) and course from GPX 1.0's elements or any extension of those local names (FMS
 * exports `fms:speed`, Garmin `gpxtpx:speed`). A point missing lat, lon or time is still passed
 * on, so the pipeline rejects it with its reason.
 */
export function createGpxParser(): HistoryParser {
  const parser = new SaxesParser({ xmlns: true, position: true })
  let out: FilePoint[] = []
  let count = 0
  let current: Record<string, unknown> | null = null
  let field: string | null = null
  let text = ''
  parser.on('opentag', (tag) => {
    if (tag.local === 'trkpt') {
      count++
      const attribute = (name: string) => {
        const value = tag.attributes[name]
        return typeof value === 'string' ? value : value?.value
      }
      current = { lat: toNumber(attribute('lat')), lon: toNumber(attribute('lon')) }
      return
    }
    if (current && ['ele', 'time', 'speed', 'course'].includes(tag.local ?? '')) {
      field = tag.local ?? null
      text = ''
    }
  })
  parser.on('text', (value) => {
    if (field) text += value
  })
  parser.on('closetag', (tag) => {
    if (tag.local === 'trkpt' && current) {
      out.push({ point: current, at: `trkpt ${count}` })
      current = null
      return
    }
    if (!current || tag.local !== field) return
    const value = text.trim()
    if (field === 'time') current.time = value
    else if (field === 'ele') current.altitude = toNumber(value)
    else if (field === 'speed') {
      const ms = toNumber(value)
      current.speed = typeof ms === 'number' ? Math.round(ms * KMH_PER_MS * 1e4) / 1e4 : ms
    } else if (field === 'course') current.heading = toNumber(value)
    field = null
  })
  let failure: Error | null = null
  parser.on('error', (error) => {
    failure ??= error
  })
  const take = () => {
    if (failure) throw new HistoryFileError(`Not well-formed GPX: ${failure.message}`)
    const points = out
    out = []
    return points
  }
  return {
    write(chunk) {
      if (!failure) parser.write(chunk)
      return take()
    },
    end() {
      if (!failure) parser.close()
      if (!failure && count === 0) throw new HistoryFileError('No track points (trkpt) in the GPX')
      return take()
    },
  }
}

/** A number as the wire format has it: a number, or the text as it was (the pipeline says why). */
function toNumber(value: string | undefined): number | string | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : value
}

const TEXT_COLUMNS = new Set(['time', 'driver_id', 'status'])
const BOOLEAN_COLUMNS = new Set(['ignition', 'valid'])
const KNOWN_COLUMNS = new Set<string>(HISTORY_CSV_COLUMNS)

/**
 * CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF) with a header row naming the columns
 * of an FMS export (`time`, `lat`, `lon`, `speed` km/h, ...); unknown columns and `device_id` are
 * ignored (the target device is the one imported into). A leading `'` that an export put before
 * formula-looking text is taken off again.
 */
export function createCsvParser(): HistoryParser {
  let header: string[] | null = null
  let record: string[] = []
  let cell = ''
  let isQuoted = false
  let wasQuote = false
  let line = 1
  let recordLine = 1
  let recordChars = 0
  let out: FilePoint[] = []

  function endRecord() {
    record.push(cell)
    cell = ''
    const fields = record
    record = []
    const at = recordLine
    recordChars = 0
    if (fields.length === 1 && fields[0] === '') return // a blank line
    if (!header) {
      header = fields.map((name) => name.trim().toLowerCase())
      if (!header.includes('time')) throw new HistoryFileError('The CSV header has no time column')
      return
    }
    const point: Record<string, unknown> = {}
    header.forEach((name, i) => {
      const value = fields[i]
      if (!KNOWN_COLUMNS.has(name) || name === 'device_id' || value === undefined || value === '') {
        return
      }
      point[name] = readCell(name, value)
    })
    out.push({ point, at: `line ${at}` })
  }

  function write(chunk: string) {
    for (const char of chunk) {
      if (++recordChars > MAX_RECORD_CHARS) {
        throw new HistoryFileError(
          `Line ${recordLine} is longer than ${MAX_RECORD_CHARS} characters`,
        )
      }
      if (isQuoted) {
        if (char === '"') {
          isQuoted = false
          wasQuote = true
        } else {
          if (char === '\n') line++
          cell += char
        }
        continue
      }
      if (char === '"') {
        // A doubled quote inside a quoted field is one quote.
        if (wasQuote) cell += '"'
        isQuoted = true
        wasQuote = false
        continue
      }
      wasQuote = false
      if (char === ',') {
        record.push(cell)
        cell = ''
      } else if (char === '\n') {
        endRecord()
        line++
        recordLine = line
      } else if (char !== '\r') cell += char
    }
    const points = out
    out = []
    return points
  }

  return {
    write,
    end() {
      if (isQuoted)
        throw new HistoryFileError(`A quoted field opened on line ${recordLine} never closes`)
      if (cell !== '' || record.length > 0) endRecord()
      if (!header) throw new HistoryFileError('The CSV is empty')
      const points = out
      out = []
      return points
    },
  }
}

function readCell(name: string, value: string): unknown {
  if (TEXT_COLUMNS.has(name)) return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value
  if (BOOLEAN_COLUMNS.has(name)) {
    if (value === 'true' || value === 'false') return value === 'true'
    return value
  }
  return toNumber(value)
}
