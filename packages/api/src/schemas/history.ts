import { z } from 'zod'
import { ZId } from './common.ts'
import { instantRange } from './time-range.ts'

/** The formats a vehicle's history is exported in. */
export const HISTORY_EXPORT_FORMATS = ['gpx', 'kml', 'csv'] as const
export type THistoryExportFormat = (typeof HISTORY_EXPORT_FORMATS)[number]

/** The formats history is imported from. */
export const HISTORY_IMPORT_FORMATS = ['gpx', 'csv'] as const
export type THistoryImportFormat = (typeof HISTORY_IMPORT_FORMATS)[number]

/** Longest range one export covers (it is streamed, so this bounds time, not memory). */
export const HISTORY_EXPORT_MAX_DAYS = 366

/**
 * `GET /api/vehicles/<vehicleId>/history.<format>?from=&to=`: the vehicle's stored points in
 * [from, to) (instants, see time-range.ts). Query parameters are strings.
 */
export const ZHistoryExportInput = instantRange(
  { vehicleId: ZId, format: z.enum(HISTORY_EXPORT_FORMATS) },
  { maxDays: HISTORY_EXPORT_MAX_DAYS },
)
export type THistoryExportInput = z.infer<typeof ZHistoryExportInput>

/** What an import stored, skipped (already stored for that device and time) and rejected. */
export interface THistoryImportSummary {
  /** Points read from the file (rows or track points). */
  read: number
  stored: number
  /** Points the device already had at that time: importing a file twice stores nothing new. */
  duplicates: number
  rejected: number
  /** The first rejections with where they are in the file (line or track point number). */
  rejections: { at: string; error: string }[]
}
