import { type SQL, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'

export type SortOrder = 'asc' | 'desc'

export interface PageParams<TSort extends string> {
  orgId: string
  search?: string | undefined
  sort: TSort
  order: SortOrder
  cursor?: string | undefined
  limit: number
}

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

interface CursorPayload {
  v: string
  id: string
}

export class InvalidCursorError extends Error {
  constructor() {
    super('Invalid cursor')
  }
}

/** Keyset pagination over (sort column, id): stable under inserts, no OFFSET scans. */
export function keysetCondition(
  column: AnyPgColumn,
  idColumn: AnyPgColumn,
  order: SortOrder,
  cursor: string | undefined,
): SQL | undefined {
  if (!cursor) return undefined
  const { v, id } = decodeCursor(cursor)
  const value = column.columnType === 'PgTimestamp' ? new Date(v) : v
  if (value instanceof Date && Number.isNaN(value.getTime())) throw new InvalidCursorError()
  const left = sql`(${column}, ${idColumn})`
  const right = sql`(${sql.param(value, column)}, ${sql.param(id, idColumn)})`
  return order === 'asc' ? sql`${left} > ${right}` : sql`${left} < ${right}`
}

export function orderByKeyset(column: AnyPgColumn, idColumn: AnyPgColumn, order: SortOrder): SQL[] {
  return order === 'asc'
    ? [sql`${column} asc`, sql`${idColumn} asc`]
    : [sql`${column} desc`, sql`${idColumn} desc`]
}

/** Turns `limit + 1` fetched rows into a page and the cursor of its last row. */
export function toPage<T extends { id: string }>(
  rows: T[],
  limit: number,
  sortValue: (row: T) => string | Date,
): Page<T> {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  if (rows.length <= limit || !last) return { items, nextCursor: null }
  const v = sortValue(last)
  return {
    items,
    nextCursor: encodeCursor({ v: v instanceof Date ? v.toISOString() : v, id: last.id }),
  }
}

function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url')
}

function decodeCursor(cursor: string): CursorPayload {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as CursorPayload).v === 'string' &&
      typeof (parsed as CursorPayload).id === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(
        (parsed as CursorPayload).id,
      ) &&
      !(parsed as CursorPayload).v.includes('\0')
    ) {
      return parsed as CursorPayload
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError()
}

/** `ILIKE` pattern for a user-typed search, with the wildcard characters escaped. */
export function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
