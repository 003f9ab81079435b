import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lt, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { alerts, vehicles } from '../schema/index.ts'
import { keysetCondition, orderByKeyset, type PageParams, toPage } from './pagination.ts'
import { inVehicleScope, type VehicleScope } from './vehicle-scope.ts'

export interface AlertUpsert {
  orgId: string
  vehicleId: string
  ruleId: string | null
  kind: string
  key: string
  time: Date
  endTime: Date | null
  emittedAt: Date
  value: number | null
  message: string
}

/**
 * Stores alert versions by their episode key: a later version (e.g. with its end) replaces it.
 * Answers the rows it inserted or changed; a version already stored as it is (a replay, a
 * re-processed batch) is no news, so it gets no second webhook or live message.
 */
export async function upsertAlerts(db: Database, rows: AlertUpsert[]) {
  if (rows.length === 0) return []
  return db
    .insert(alerts)
    .values(rows)
    .onConflictDoUpdate({
      target: [alerts.orgId, alerts.key],
      set: {
        endTime: sql`excluded.end_time`,
        emittedAt: sql`excluded.emitted_at`,
        value: sql`excluded.value`,
        message: sql`excluded.message`,
      },
      setWhere: sql`(${alerts.endTime}, ${alerts.emittedAt}, ${alerts.value}, ${alerts.message}) is distinct from (excluded.end_time, excluded.emitted_at, excluded.value, excluded.message)`,
    })
    .returning()
}

export async function listAlerts(
  db: Database,
  params: PageParams<'time'> & {
    scope: VehicleScope
    vehicleId?: string | undefined
    kind?: string | undefined
    from?: Date | undefined
    to?: Date | undefined
    isAcknowledged?: boolean | undefined
  },
) {
  const conditions: (SQL | undefined)[] = [
    eq(alerts.orgId, params.orgId),
    inVehicleScope(alerts.vehicleId, params.scope),
    params.vehicleId ? eq(alerts.vehicleId, params.vehicleId) : undefined,
    params.kind ? eq(alerts.kind, params.kind) : undefined,
    params.from ? gte(alerts.time, params.from) : undefined,
    params.to ? lt(alerts.time, params.to) : undefined,
    params.isAcknowledged === undefined
      ? undefined
      : params.isAcknowledged
        ? isNotNull(alerts.acknowledgedAt)
        : isNull(alerts.acknowledgedAt),
    keysetCondition(alerts.time, alerts.id, params.order, params.cursor),
  ]
  const rows = await db
    .select()
    .from(alerts)
    .where(and(...conditions))
    .orderBy(...orderByKeyset(alerts.time, alerts.id, params.order))
    .limit(params.limit + 1)
  return toPage(rows, params.limit, (row) => row.time)
}

export async function acknowledgeAlert(
  db: Database,
  params: { scope: VehicleScope; id: string; userId: string },
) {
  const [row] = await db
    .update(alerts)
    .set({
      acknowledgedAt: sql`coalesce(${alerts.acknowledgedAt}, now())`,
      acknowledgedBy: sql`coalesce(${alerts.acknowledgedBy}, ${params.userId}::uuid)`,
    })
    .where(
      and(
        eq(alerts.id, params.id),
        eq(alerts.orgId, params.scope.orgId),
        inVehicleScope(alerts.vehicleId, params.scope),
      ),
    )
    .returning()
  return row ?? null
}

/** Removes alerts the engine retracted (a late point disproved them). */
export async function deleteAlertsByKeys(db: Database, params: { orgId: string; keys: string[] }) {
  if (params.keys.length === 0) return []
  return db
    .delete(alerts)
    .where(and(eq(alerts.orgId, params.orgId), inArray(alerts.key, params.keys)))
    .returning()
}

/**
 * A vehicle's alerts for the engine and the reports: those emitted after `emittedAfter`, and/or
 * starting in [from, to). Oldest first, at most `limit`.
 */
export function findVehicleAlerts(
  db: Database,
  params: {
    orgId: string
    /** Only the vehicles a caller sees (the engine reads whole organizations). */
    scope?: VehicleScope | undefined
    vehicleId?: string | undefined
    emittedAfter?: Date | undefined
    from?: Date | undefined
    to?: Date | undefined
    limit?: number | undefined
  },
) {
  return db
    .select()
    .from(alerts)
    .where(
      and(
        eq(alerts.orgId, params.orgId),
        params.scope ? inVehicleScope(alerts.vehicleId, params.scope) : undefined,
        params.vehicleId ? eq(alerts.vehicleId, params.vehicleId) : undefined,
        params.emittedAfter ? gt(alerts.emittedAt, params.emittedAfter) : undefined,
        params.from ? gte(alerts.time, params.from) : undefined,
        params.to ? lt(alerts.time, params.to) : undefined,
      ),
    )
    .orderBy(asc(alerts.time), asc(alerts.key))
    .limit(params.limit ?? 100_000)
}

/**
 * Per kind, the alerts of the organization's current vehicles whose episode started in
 * [from, to): the counts the daily report gives, for the whole organization at once.
 */
export async function countAlertsByKind(
  db: Database,
  params: { orgId: string; scope: VehicleScope; from: Date; to: Date },
): Promise<{ kind: string; count: number }[]> {
  const rows = await db
    .select({ kind: alerts.kind, count: sql<number>`count(*)` })
    .from(alerts)
    .innerJoin(vehicles, and(eq(vehicles.id, alerts.vehicleId), eq(vehicles.orgId, alerts.orgId)))
    .where(
      and(
        eq(alerts.orgId, params.orgId),
        inVehicleScope(alerts.vehicleId, params.scope),
        gte(alerts.time, params.from),
        lt(alerts.time, params.to),
      ),
    )
    .groupBy(alerts.kind)
  return rows.map((row) => ({ kind: row.kind, count: Number(row.count) }))
}

/**
 * Inserts alerts whose keys are new and answers only those: for alerts raised once per key
 * (a maintenance threshold), where a second look must neither change nor re-deliver the first.
 */
export async function insertNewAlerts(db: Database, rows: AlertUpsert[]) {
  if (rows.length === 0) return []
  return db
    .insert(alerts)
    .values(rows)
    .onConflictDoNothing({ target: [alerts.orgId, alerts.key] })
    .returning()
}
