import { listAuditRows } from '@fms/db/queries/audit-log'
import type { AuditRow } from '@fms/db/schema'
import type { DbDeps } from '../context.ts'
import type { TAuditCsvInput, TListAuditInput } from '../schemas/index.ts'
import { formatCsv } from './csv.ts'
import { mapDbErrors } from './db-errors.ts'

/** The most rows one CSV export holds; narrow the filters for more. */
export const AUDIT_CSV_MAX_ROWS = 10_000
const CSV_PAGE = 1000

export function listOrgAudit(deps: DbDeps, orgId: string, input: TListAuditInput) {
  return mapDbErrors(listAuditRows(deps.db, { ...input, orgId }))
}

/**
 * The organization's audit rows matching the filters as CSV, newest first, at most
 * `AUDIT_CSV_MAX_ROWS` (`truncated` says when more matched). Every cell goes through
 * `formatCsvCell`, so a stored value starting with `=` is text in a spreadsheet, never a formula.
 */
export async function buildAuditCsv(deps: DbDeps, orgId: string, input: TAuditCsvInput) {
  const rows: AuditRow[] = []
  let cursor: string | undefined
  let isTruncated = false
  while (true) {
    const page = await listAuditRows(deps.db, { ...input, orgId, cursor, limit: CSV_PAGE })
    rows.push(...page.items)
    if (!page.nextCursor) break
    if (rows.length >= AUDIT_CSV_MAX_ROWS) {
      isTruncated = true
      break
    }
    cursor = page.nextCursor
  }
  const kept = rows.slice(0, AUDIT_CSV_MAX_ROWS)
  const csv = formatCsv(
    [
      'time',
      'actor_type',
      'actor_id',
      'actor_email',
      'action',
      'outcome',
      'error_code',
      'object_type',
      'object_id',
      'client_ip',
      'user_agent',
      'changes',
      'input',
    ],
    kept.map((row) => [
      row.at.toISOString(),
      row.actorType,
      row.actorId,
      row.actorEmail,
      row.action,
      row.outcome,
      row.errorCode,
      row.objectType,
      row.objectId,
      row.clientIp,
      row.userAgent,
      row.changes ? JSON.stringify(row.changes) : null,
      row.input === null ? null : JSON.stringify(row.input),
    ]),
  )
  const day = new Date().toISOString().slice(0, 10)
  return { filename: `fms-audit-${day}.csv`, csv, rowCount: kept.length, isTruncated }
}
