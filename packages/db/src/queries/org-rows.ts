import { and, eq, ilike, or, type SQL } from 'drizzle-orm'
import type {
  AnyPgColumn,
  PgTable,
  PgUpdateSetSource,
  SelectedFieldsFlat,
} from 'drizzle-orm/pg-core'
import type { SelectResultFields } from 'drizzle-orm/query-builders/select.types'
import type { Database } from '../client.ts'
import {
  containsPattern,
  keysetCondition,
  orderByKeyset,
  type Page,
  type PageParams,
  toPage,
} from './pagination.ts'

/** A table whose rows belong to an organization, each found by its id. */
export type OrgTable = PgTable & { id: AnyPgColumn; orgId: AnyPgColumn; updatedAt: AnyPgColumn }

/** One row of one organization. */
export interface OrgRowRef {
  orgId: string
  id: string
}

/** Row `id` of organization `orgId`: another organization's row of that id is never matched. */
export function idInOrg(table: OrgTable, ref: OrgRowRef): SQL | undefined {
  return and(eq(table.id, ref.id), eq(table.orgId, ref.orgId))
}

/** Rows where any of `columns` contains `search` (ILIKE, wildcards escaped); all rows without one. */
export function searchAny(search: string | undefined, columns: AnyPgColumn[]): SQL | undefined {
  if (!search) return undefined
  const pattern = containsPattern(search)
  return or(...columns.map((column) => ilike(column, pattern)))
}

/** The first row a query answers, or null. */
export async function firstOrNull<T>(rows: PromiseLike<T[]>): Promise<T | null> {
  const [row] = await rows
  return row ?? null
}

/**
 * Updates row `id` of organization `orgId` with `patch`, stamping `updatedAt`: the updated row
 * (or its `columns`), or null when that organization has no such row.
 */
export function updateInOrg<T extends OrgTable>(
  db: Database,
  table: T,
  params: OrgRowRef & { patch: PgUpdateSetSource<T> },
): Promise<T['$inferSelect'] | null>
export function updateInOrg<T extends OrgTable, F extends SelectedFieldsFlat>(
  db: Database,
  table: T,
  params: OrgRowRef & { patch: PgUpdateSetSource<T> },
  columns: F,
): Promise<SelectResultFields<F> | null>
export function updateInOrg(
  db: Database,
  table: OrgTable,
  params: OrgRowRef & { patch: PgUpdateSetSource<OrgTable> },
  columns?: SelectedFieldsFlat,
) {
  const query = db
    .update(table)
    .set({ ...params.patch, updatedAt: new Date() })
    .where(idInOrg(table, params))
  return firstOrNull(columns ? query.returning(columns) : query.returning())
}

/**
 * Deletes row `id` of organization `orgId`: the deleted row (or its `columns`), or null when that
 * organization has no such row.
 */
export function deleteInOrg<T extends OrgTable>(
  db: Database,
  table: T,
  params: OrgRowRef,
): Promise<T['$inferSelect'] | null>
export function deleteInOrg<T extends OrgTable, F extends SelectedFieldsFlat>(
  db: Database,
  table: T,
  params: OrgRowRef,
  columns: F,
): Promise<SelectResultFields<F> | null>
export function deleteInOrg(
  db: Database,
  table: OrgTable,
  params: OrgRowRef,
  columns?: SelectedFieldsFlat,
) {
  const query = db.delete(table).where(idInOrg(table, params))
  return firstOrNull(columns ? query.returning(columns) : query.returning())
}

/** What a page is read with: a dynamic select (`.$dynamic()`) answering rows of `TRow`. */
interface DynamicSelect<TRow> extends PromiseLike<TRow[]> {
  where(where: SQL | undefined): DynamicSelect<TRow>
  orderBy(...columns: SQL[]): DynamicSelect<TRow>
  limit(limit: number): DynamicSelect<TRow>
}

/**
 * One keyset page of an organization's rows: `query` (a dynamic select from `table`) narrowed to
 * `params.orgId` and `filters`, ordered by `column` then id from `params.cursor` on, with the
 * cursor of its last row taken from `sortValue`.
 */
export async function pageInOrg<TRow extends { id: string }>(
  query: DynamicSelect<TRow>,
  page: {
    table: OrgTable
    column: AnyPgColumn
    params: PageParams<string>
    filters?: (SQL | undefined)[]
    sortValue: (row: TRow) => string | Date
  },
): Promise<Page<TRow>> {
  const { table, column, params } = page
  const conditions: (SQL | undefined)[] = [
    eq(table.orgId, params.orgId),
    ...(page.filters ?? []),
    keysetCondition(column, table.id, params.order, params.cursor),
  ]
  const rows = await query
    .where(and(...conditions))
    .orderBy(...orderByKeyset(column, table.id, params.order))
    .limit(params.limit + 1)
  return toPage(rows, params.limit, page.sortValue)
}
