import { and, asc, count, eq, inArray, isNotNull, lte } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { organizations, type ReportScheduleRow, reportSchedules, users } from '../schema/index.ts'
import { deleteInOrg, firstOrNull, idInOrg, updateInOrg } from './org-rows.ts'

export type ReportScheduleFields = Pick<
  ReportScheduleRow,
  | 'name'
  | 'frequency'
  | 'timeZone'
  | 'sendHour'
  | 'recipientUserIds'
  | 'vehicleIds'
  | 'isEnabled'
  | 'nextRunAt'
>

export function listReportSchedules(db: Database, orgId: string) {
  return db
    .select()
    .from(reportSchedules)
    .where(eq(reportSchedules.orgId, orgId))
    .orderBy(asc(reportSchedules.createdAt), asc(reportSchedules.id))
}

export async function countReportSchedules(db: Database, orgId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(reportSchedules)
    .where(eq(reportSchedules.orgId, orgId))
  return row?.n ?? 0
}

export function findReportSchedule(db: Database, params: { orgId: string; id: string }) {
  return firstOrNull(db.select().from(reportSchedules).where(idInOrg(reportSchedules, params)))
}

export async function createReportSchedule(
  db: Database,
  params: { orgId: string; createdBy: string; fields: ReportScheduleFields },
) {
  const [row] = await db
    .insert(reportSchedules)
    .values({ orgId: params.orgId, createdBy: params.createdBy, ...params.fields })
    .returning()
  if (!row) throw new Error('report schedule insert returned no row')
  return row
}

/** A changed schedule starts afresh: its last error is cleared. */
export function updateReportSchedule(
  db: Database,
  params: { orgId: string; id: string; fields: Partial<ReportScheduleFields> },
) {
  return updateInOrg(db, reportSchedules, {
    orgId: params.orgId,
    id: params.id,
    patch: { ...params.fields, lastError: null },
  })
}

export function deleteReportSchedule(db: Database, params: { orgId: string; id: string }) {
  return deleteInOrg(db, reportSchedules, params)
}

/** The organization's time zone (the default of its schedules). */
export async function findOrgCalendar(
  db: Database,
  orgId: string,
): Promise<{ timeZone: string; weekStart: 'monday' | 'sunday' }> {
  const [row] = await db
    .select({ timeZone: organizations.timeZone, weekStart: organizations.weekStart })
    .from(organizations)
    .where(eq(organizations.id, orgId))
  return row ?? { timeZone: 'UTC', weekStart: 'monday' }
}

/** Which of these ids are users of the organization. */
export async function findOrgUserIds(
  db: Database,
  params: { orgId: string; userIds: readonly string[] },
): Promise<Set<string>> {
  if (params.userIds.length === 0) return new Set()
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, params.orgId), inArray(users.id, [...params.userIds])))
  return new Set(rows.map((row) => row.id))
}

/** These users of the organization whose address is verified: the only ones mailed. */
export function findVerifiedRecipients(
  db: Database,
  params: { orgId: string; userIds: readonly string[] },
) {
  if (params.userIds.length === 0) return Promise.resolve([])
  return db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      and(
        eq(users.orgId, params.orgId),
        inArray(users.id, [...params.userIds]),
        isNotNull(users.emailVerifiedAt),
      ),
    )
}

/**
 * Locks one due, enabled schedule (`skip locked`: another node takes another, or none) with its
 * organization's time zone, until the transaction ends. Null: nothing due.
 */
export async function claimDueReportSchedule(db: Database, now: Date) {
  const [row] = await db
    .select({
      schedule: reportSchedules,
      orgTimeZone: organizations.timeZone,
      orgWeekStart: organizations.weekStart,
    })
    .from(reportSchedules)
    .innerJoin(organizations, eq(organizations.id, reportSchedules.orgId))
    .where(and(eq(reportSchedules.isEnabled, true), lte(reportSchedules.nextRunAt, now)))
    .orderBy(asc(reportSchedules.nextRunAt))
    .limit(1)
    .for('update', { of: reportSchedules, skipLocked: true })
  return row ?? null
}

/** Records a run (or a failed one) and when the schedule is next due. */
export async function setReportScheduleRun(
  db: Database,
  params: { id: string; nextRunAt: Date; lastRunAt?: Date; lastError: string | null },
) {
  await db
    .update(reportSchedules)
    .set({
      nextRunAt: params.nextRunAt,
      lastError: params.lastError,
      ...(params.lastRunAt ? { lastRunAt: params.lastRunAt } : {}),
    })
    .where(eq(reportSchedules.id, params.id))
}

/** Organizations with a schedule due (to bring their figures up to date before the run). */
export async function findDueReportOrgIds(db: Database, now: Date): Promise<string[]> {
  const rows = await db
    .selectDistinct({ orgId: reportSchedules.orgId })
    .from(reportSchedules)
    .where(and(eq(reportSchedules.isEnabled, true), lte(reportSchedules.nextRunAt, now)))
    .limit(100)
  return rows.map((row) => row.orgId)
}

/**
 * Records a failed run and when to try again, unless the schedule moved on meanwhile (another
 * node ran it, or it was changed): only while `next_run_at` is still `claimedNextRunAt`.
 */
export async function setReportScheduleFailure(
  db: Database,
  params: { id: string; claimedNextRunAt: Date; retryAt: Date; lastError: string },
) {
  await db
    .update(reportSchedules)
    .set({ nextRunAt: params.retryAt, lastError: params.lastError })
    .where(
      and(
        eq(reportSchedules.id, params.id),
        eq(reportSchedules.nextRunAt, params.claimedNextRunAt),
      ),
    )
}
