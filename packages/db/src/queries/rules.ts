import { and, eq, type SQL } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { type RuleRow, rules } from '../schema/index.ts'
import { keysetCondition, orderByKeyset, type PageParams, toPage } from './pagination.ts'

export type RuleFields = Pick<
  RuleRow,
  'kind' | 'threshold' | 'durationSec' | 'vehicleId' | 'geofenceId' | 'isEnabled'
>

export async function listRules(
  db: Database,
  params: PageParams<'createdAt'> & { vehicleId?: string | undefined },
) {
  const conditions: (SQL | undefined)[] = [
    eq(rules.orgId, params.orgId),
    params.vehicleId ? eq(rules.vehicleId, params.vehicleId) : undefined,
    keysetCondition(rules.createdAt, rules.id, params.order, params.cursor),
  ]
  const rows = await db
    .select()
    .from(rules)
    .where(and(...conditions))
    .orderBy(...orderByKeyset(rules.createdAt, rules.id, params.order))
    .limit(params.limit + 1)
  return toPage(rows, params.limit, (row) => row.createdAt)
}

/** The enabled rules of the organization, for the rules engine. */
export function findEnabledRules(db: Database, orgId: string) {
  return db
    .select()
    .from(rules)
    .where(and(eq(rules.orgId, orgId), eq(rules.isEnabled, true)))
}

export async function findRuleById(db: Database, params: { orgId: string; id: string }) {
  const [row] = await db
    .select()
    .from(rules)
    .where(and(eq(rules.id, params.id), eq(rules.orgId, params.orgId)))
  return row ?? null
}

export async function createRule(
  db: Database,
  params: { orgId: string; fields: Partial<RuleFields> & Pick<RuleFields, 'kind'> },
) {
  const [row] = await db
    .insert(rules)
    .values({ ...params.fields, orgId: params.orgId })
    .returning()
  if (!row) throw new Error('rule insert returned no row')
  return row
}

export async function updateRule(
  db: Database,
  params: { orgId: string; id: string; patch: Partial<RuleFields> },
) {
  const [row] = await db
    .update(rules)
    .set({ ...params.patch, updatedAt: new Date() })
    .where(and(eq(rules.id, params.id), eq(rules.orgId, params.orgId)))
    .returning()
  return row ?? null
}

export async function deleteRule(db: Database, params: { orgId: string; id: string }) {
  const [row] = await db
    .delete(rules)
    .where(and(eq(rules.id, params.id), eq(rules.orgId, params.orgId)))
    .returning()
  return row ?? null
}
