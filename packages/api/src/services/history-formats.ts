import type { RawPoint } from '@fms/db/queries/telemetry'
import type { THistoryExportFormat } from '../schemas/history.ts'
import { formatCsv, formatCsvRows, formatIsoTime } from './csv.ts'

/** What a history export says about its vehicle (free text: escaped wherever it is written). */
export interface HistoryExportSubject {
  vehicleId: string
  code: string
  plate: string | null
  description: string | null
}

/** Escapes text for XML element content and attribute values (and drops what XML 1.0 forbids). */
export function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
      .replaceAll("'", '&apos;')
  )
}

const KMH_TO_MS = 1 / 3.6

/** The CSV columns of an export, and of an import (the same names, so a file round-trips). */
export const HISTORY_CSV_COLUMNS = [
  'time',
  'lat',
  'lon',
  'speed',
  'heading',
  'altitude',
  'rpm',
  'fuel',
  'engine_load',
  'coolant_temp',
  'odometer',
  'ignition',
  'accuracy',
  'valid',
  'driver_id',
  'status',
  'device_id',
] as const

const num = (value: number | null) => (value === null ? '' : String(value))

/** One format's document: its opening, each page of points, its end. */
export interface HistoryFormat {
  contentType: string
  head(subject: HistoryExportSubject): string
  points(points: readonly RawPoint[]): string
  tail(): string
}

/** GPX 1.1: one track; speed (m/s) and course, which GPX 1.1 has no element for, in `<extensions>`. */
const GPX: HistoryFormat = {
  contentType: 'application/gpx+xml; charset=utf-8',
  head: (s) =>
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<gpx version="1.1" creator="FMS" xmlns="http://www.topografix.com/GPX/1/1" ' +
    'xmlns:fms="urn:fms:gpx:1">\n' +
    `<trk><name>${escapeXml(s.code)}</name>` +
    (s.description ? `<desc>${escapeXml(s.description)}</desc>` : '') +
    '<trkseg>\n',
  points: (points) =>
    points
      .filter((p) => p.lat !== null && p.lon !== null)
      .map((p) => {
        const extensions =
          p.speed !== null || p.heading !== null
            ? `<extensions>${p.speed === null ? '' : `<fms:speed>${roundMs(p.speed)}</fms:speed>`}${
                p.heading === null ? '' : `<fms:course>${p.heading}</fms:course>`
              }</extensions>`
            : ''
        return (
          `<trkpt lat="${p.lat}" lon="${p.lon}">` +
          (p.altitude === null ? '' : `<ele>${p.altitude}</ele>`) +
          `<time>${formatIsoTime(p.time.getTime())}</time>${extensions}</trkpt>\n`
        )
      })
      .join(''),
  tail: () => '</trkseg></trk>\n</gpx>\n',
}

/** Speed km/h -> m/s with enough digits that it reads back to the same km/h (float4). */
function roundMs(kmh: number): number {
  return Math.round(kmh * KMH_TO_MS * 1e6) / 1e6
}

/** KML 2.2: one placemark with a `gx:Track` (a time per coordinate). */
const KML: HistoryFormat = {
  contentType: 'application/vnd.google-earth.kml+xml; charset=utf-8',
  head: (s) =>
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">\n' +
    `<Document><name>${escapeXml(s.code)}</name><Placemark><name>${escapeXml(s.code)}</name>` +
    (s.description ? `<description>${escapeXml(s.description)}</description>` : '') +
    '<gx:Track><altitudeMode>absolute</altitudeMode>\n',
  points: (points) =>
    points
      .filter((p) => p.lat !== null && p.lon !== null)
      .map(
        (p) =>
          `<when>${formatIsoTime(p.time.getTime())}</when><gx:coord>${p.lon} ${p.lat} ${
            p.altitude ?? 0
          }</gx:coord>\n`,
      )
      .join(''),
  tail: () => '</gx:Track></Placemark></Document>\n</kml>\n',
}

/** CSV, CRLF line ends, formula-looking text quoted (formatCsvCell); every point, with or without a fix. */
const CSV: HistoryFormat = {
  contentType: 'text/csv; charset=utf-8',
  head: () => formatCsv(HISTORY_CSV_COLUMNS, []),
  points: (points) =>
    formatCsvRows(
      points.map((p) => [
        formatIsoTime(p.time.getTime()),
        num(p.lat),
        num(p.lon),
        num(p.speed),
        num(p.heading),
        num(p.altitude),
        num(p.rpm),
        num(p.fuel),
        num(p.engineLoad),
        num(p.coolantTemp),
        num(p.odometer),
        p.ignition === null ? '' : String(p.ignition),
        num(p.accuracy),
        p.valid === null ? '' : String(p.valid),
        p.driverId,
        p.status,
        p.deviceId,
      ]),
    ),
  tail: () => '',
}

export const HISTORY_FORMATS: Record<THistoryExportFormat, HistoryFormat> = {
  gpx: GPX,
  kml: KML,
  csv: CSV,
}
