import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  type ApiDeps,
  AppError,
  authenticateAccessToken,
  bearerToken,
  findEffectiveSettings,
  openDailyCsv,
  TWO_FACTOR_SETUP_MESSAGE,
} from '@fms/api'
import { ZDailyCsvInput } from '@fms/api/schemas'
import { z } from 'zod'
import { sendJson } from './send-json.ts'
import { streamPieces } from './stream-pieces.ts'

export const DAILY_CSV_PATH = '/api/reports/daily.csv'

/**
 * `GET /api/reports/daily.csv?from=&to=&timeZone=&vehicleId=`: the caller's organization's daily
 * summaries as CSV, authenticated like tRPC (`Authorization: Bearer <access token>`). Checked
 * before anything is sent (401, 400 with the fields at fault, 404 for a vehicle outside the
 * org); then streamed a piece at a time, waiting for the socket to drain before reading the next
 * piece, so a fleet of any size costs one piece of memory however slow the client. A failure
 * mid-stream cuts the connection: the client sees a broken download, never a short file.
 */
export async function handleDailyCsv(
  req: IncomingMessage,
  res: ServerResponse,
  deps: Pick<ApiDeps, 'db' | 'jwt'>,
): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET')
    return sendJson(res, 405, { error: 'Use GET' })
  }
  const token = bearerToken(req.headers.authorization)
  const caller = await authenticateAccessToken(deps, token)
  if (!caller) {
    res.setHeader('WWW-Authenticate', 'Bearer')
    return sendJson(res, 401, { error: token ? 'Invalid or expired token' : 'Sign in first' })
  }
  if (caller.isTwoFactorSetupRequired)
    return sendJson(res, 403, { error: TWO_FACTOR_SETUP_MESSAGE })
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams
  const parsed = ZDailyCsvInput.safeParse(Object.fromEntries(query))
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors
    return sendJson(res, 400, { error: 'Invalid input', fieldErrors })
  }
  let csv: Awaited<ReturnType<typeof openDailyCsv>>
  try {
    const { orgId, id: userId } = caller.user
    const units = await findEffectiveSettings({ db: deps.db }, { orgId, userId })
    csv = await openDailyCsv({ db: deps.db }, caller.scope, parsed.data, units)
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    return sendJson(res, error.httpStatus, { error: error.message })
  }
  res.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8',
    // The filename is made of safe characters only (formatCsvFilename).
    'Content-Disposition': `attachment; filename="${csv.filename}"`,
    'Access-Control-Expose-Headers': 'Content-Disposition',
    'Cache-Control': 'no-store',
  })
  await streamPieces(res, csv.pieces)
}
