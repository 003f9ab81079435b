import { and, eq, gte, lt, type SQL, sql } from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Database } from '../client.ts'
import { type AuditRow, auditLog, type NewAuditRow } from '../schema/index.ts'
import { keysetCondition, orderByKeyset, type Page, toPage } from './pagination.ts'

export async function insertAuditRow(db: Database, row: NewAuditRow): Promise<void> {
  await db.insert(auditLog).values(row)
}

export interface AuditFilters {
  orgId: string
  actorId?: string | undefined
  action?: string | undefined
  objectType?: string | undefined
  objectId?: string | undefined
  from?: Date | undefined
  to?: Date | undefined
}

function auditConditions(filters: AuditFilters): SQL | undefined {
  return and(
    eq(auditLog.orgId, filters.orgId),
    filters.actorId ? eq(auditLog.actorId, filters.actorId) : undefined,
    filters.action ? eq(auditLog.action, filters.action) : undefined,
    filters.objectType ? eq(auditLog.objectType, filters.objectType) : undefined,
    filters.objectId ? eq(auditLog.objectId, filters.objectId) : undefined,
    filters.from ? gte(auditLog.at, filters.from) : undefined,
    filters.to ? lt(auditLog.at, filters.to) : undefined,
  )
}

/** One page of an organization's audit rows, newest first, narrowed by `filters`. */
export async function listAuditRows(
  db: Database,
  params: AuditFilters & { cursor?: string | undefined; limit: number },
): Promise<Page<AuditRow>> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        auditConditions(params),
        keysetCondition(auditLog.at, auditLog.id, 'desc', params.cursor),
      ),
    )
    .orderBy(...orderByKeyset(auditLog.at, auditLog.id, 'desc'))
    .limit(params.limit + 1)
  return toPage(rows, params.limit, (row) => row.at)
}

/** Deletes rows older than `before`, at most `batch` per call; answers how many went. */
export async function pruneAuditRows(
  db: Database,
  params: { before: Date; batch: number },
): Promise<number> {
  const deleted = await db
    .delete(auditLog)
    .where(
      sql`${auditLog.id} in (select ${auditLog.id} from ${auditLog} where ${lt(auditLog.at, params.before)} limit ${params.batch})`,
    )
    .returning({ id: auditLog.id })
  return deleted.length
}

/** A table whose rows belong to an organization and are found by id (what a diff is read from). */
export type AuditedTable = PgTable & { id: AnyPgColumn; orgId: AnyPgColumn }

/** Row `id` of organization `orgId` as it is now (every column: the caller redacts), or null. */
export async function findRowForAudit(
  db: Database,
  table: AuditedTable,
  ref: { orgId: string; id: string },
): Promise<Record<string, unknown> | null> {
  const rows = await db
    .select()
    .from(table as PgTable)
    .where(and(eq(table.id, ref.id), eq(table.orgId, ref.orgId)))
    .limit(1)
  return (rows[0] as Record<string, unknown> | undefined) ?? null
}
