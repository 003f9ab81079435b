import type { IncomingMessage, ServerResponse } from 'node:http'
import { StringDecoder } from 'node:string_decoder'
import type { ApiDeps } from '@fms/api'
import type { AppError } from '@fms/api/errors'
import { HISTORY_IMPORT_FORMATS, type THistoryImportSummary } from '@fms/api/schemas'
import { findDeviceById } from '@fms/db/queries/devices'
import type { TelemetryWriter } from '@fms/db/telemetry'
import { z } from 'zod'
import type { DeviceIdentity } from '../ingest/device-auth.ts'
import { type IngestLimits, ingestPoints } from '../ingest/pipeline.ts'
import { toAppError } from '../ingest/respond.ts'
import { sendJson } from '../send-json.ts'
import { drained } from '../stream-pieces.ts'
import { authenticateCaller, parseOr400 } from './auth.ts'
import {
  createCsvParser,
  createGpxParser,
  type FilePoint,
  HistoryFileError,
  type HistoryParser,
} from './parse.ts'

export interface HistoryImportDeps extends Pick<ApiDeps, 'db' | 'jwt'> {
  writer: TelemetryWriter
  limits: IngestLimits
  /** Largest file taken, in bytes. */
  maxImportBytes: number
}

/** Points written per batch: the file is read on only once a batch is committed. */
export const IMPORT_BATCH_POINTS = 2_000
/** Rejections the summary lists (all are counted). */
export const IMPORT_MAX_LISTED_REJECTIONS = 100

const ZImportQuery = z.object({ format: z.enum(HISTORY_IMPORT_FORMATS) })

/**
 * `POST /api/devices/<id>/history?format=gpx|csv` with the file as the body: admin only. The
 * points go through the one ingestion pipeline (validation, the group-committing writer, the
 * rules outbox), a batch at a time, reading the upload on only after each batch commits, so a
 * file of any size costs one batch of memory. A point the device already has at that time is a
 * duplicate (skipped): importing a file twice stores nothing new. The answer streams as NDJSON:
 * a `{"progress": …}` line per batch, then `{"summary": …}` (stored, duplicates, rejected with
 * where and why, `error` when the file stopped being readable part way).
 */
export async function handleHistoryImport(
  req: IncomingMessage,
  res: ServerResponse,
  deps: HistoryImportDeps,
  deviceId: string,
): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST')
    return sendJson(res, 405, { error: 'Use POST' })
  }
  const user = await authenticateCaller(req, res, deps)
  if (!user) return
  if (user.role !== 'admin') return sendJson(res, 403, { error: 'Only an admin imports history' })
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams
  const input = parseOr400(res, ZImportQuery, Object.fromEntries(query))
  if (!input) return
  const length = Number(req.headers['content-length'] ?? 0)
  if (length > deps.maxImportBytes) {
    res.setHeader('Connection', 'close')
    return sendJson(res, 413, { error: `At most ${deps.maxImportBytes} bytes per file` })
  }
  const device = z.uuid().safeParse(deviceId).success
    ? await findDeviceById(deps.db, { scope: user.scope, id: deviceId })
    : null
  if (!device) return sendJson(res, 404, { error: 'Device not found' })
  const linked = {
    id: device.id,
    externalId: device.externalId,
    vehicleId: device.vehicleId,
    isActive: device.status === 'active',
  }
  const identity: DeviceIdentity = {
    tokenId: '',
    orgId: user.orgId,
    devices: new Map([[device.id, linked]]),
    devicesByExternalId: new Map(),
  }
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' })
  const summary = await importFile(req, res, {
    ...deps,
    identity,
    parser: input.format === 'gpx' ? createGpxParser() : createCsvParser(),
  })
  if (res.destroyed) return
  // A file cut short (too large, unreadable) leaves the rest of the upload unread: close then.
  res.end(`${JSON.stringify({ summary })}\n`, () => {
    if (!req.complete) req.destroy()
  })
}

async function importFile(
  req: IncomingMessage,
  res: ServerResponse,
  deps: HistoryImportDeps & { identity: DeviceIdentity; parser: HistoryParser },
): Promise<THistoryImportSummary & { bytes: number; error?: string }> {
  const summary = {
    bytes: 0,
    read: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    rejections: [] as THistoryImportSummary['rejections'],
  }
  let batch: FilePoint[] = []
  const decoder = new StringDecoder('utf8')

  async function flush(): Promise<void> {
    const points = batch
    batch = []
    if (points.length === 0) return
    const { result } = await ingestPoints(
      deps.writer,
      deps.identity,
      points.map((p) => p.point),
      deps.limits,
    )
    summary.stored += result.accepted
    summary.duplicates += result.duplicates
    summary.rejected += result.rejected.length
    for (const { index, error } of result.rejected) {
      if (summary.rejections.length >= IMPORT_MAX_LISTED_REJECTIONS) break
      summary.rejections.push({ at: points[index]?.at ?? `point ${index}`, error })
    }
    const { rejections: _, ...progress } = summary
    if (!res.write(`${JSON.stringify({ progress })}\n`)) await drained(res)
  }

  async function take(points: FilePoint[]): Promise<void> {
    summary.read += points.length
    for (const point of points) {
      batch.push(point)
      if (batch.length >= IMPORT_BATCH_POINTS) await flush()
    }
  }

  try {
    // Async iteration pulls the next chunk only when this one is handled: the upload waits.
    for await (const chunk of req as AsyncIterable<Buffer>) {
      summary.bytes += chunk.length
      if (summary.bytes > deps.maxImportBytes) {
        throw new HistoryFileError(`At most ${deps.maxImportBytes} bytes per file`)
      }
      await take(deps.parser.write(decoder.write(chunk)))
      if (res.destroyed) return summary
    }
    await take(deps.parser.write(decoder.end()))
    await take(deps.parser.end())
    await flush()
    return summary
  } catch (error) {
    // What was committed stays (importing the file again skips it); the rest is reported.
    if (error instanceof HistoryFileError) return { ...summary, error: error.message }
    const appError: AppError = toAppError(error)
    return { ...summary, error: appError.message }
  }
}
