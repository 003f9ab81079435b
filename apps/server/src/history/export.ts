import type { IncomingMessage, ServerResponse } from 'node:http'
import { type ApiDeps, openHistoryExport } from '@fms/api'
import { ZHistoryExportInput } from '@fms/api/schemas'
import { sendJson } from '../send-json.ts'
import { streamPieces } from '../stream-pieces.ts'
import { authenticateCaller, orAnswer, parseOr400 } from './auth.ts'

/**
 * `GET /api/vehicles/<id>/history.(gpx|kml|csv)?from=&to=`: the vehicle's stored points as a
 * download, authenticated like tRPC (any role of the vehicle's organization). Checked before
 * anything is sent (401, 400 with the fields at fault, 404 for a vehicle outside the org); then
 * streamed a page of points at a time, waiting for the socket to drain before reading the next.
 * A failure mid-stream cuts the connection: the client sees a broken download, never a short file.
 */
export async function handleHistoryExport(
  req: IncomingMessage,
  res: ServerResponse,
  deps: Pick<ApiDeps, 'db' | 'jwt'>,
  params: { vehicleId: string; format: string },
): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET')
    return sendJson(res, 405, { error: 'Use GET' })
  }
  const user = await authenticateCaller(req, res, deps)
  if (!user) return
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams
  const input = parseOr400(res, ZHistoryExportInput, { ...Object.fromEntries(query), ...params })
  if (!input) return
  const history = await orAnswer(res, () => openHistoryExport({ db: deps.db }, user.scope, input))
  if (!history) return
  res.writeHead(200, {
    'Content-Type': history.contentType,
    // The filename is made of safe characters only.
    'Content-Disposition': `attachment; filename="${history.filename}"`,
    'Access-Control-Expose-Headers': 'Content-Disposition',
    'Cache-Control': 'no-store',
  })
  await streamPieces(res, history.pieces)
}
