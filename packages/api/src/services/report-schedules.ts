import type { Database } from '@fms/db'
import {
  countReportSchedules,
  createReportSchedule,
  deleteReportSchedule,
  findOrgCalendar,
  findOrgUserIds,
  findReportSchedule,
  listReportSchedules,
  type ReportScheduleFields,
  updateReportSchedule,
} from '@fms/db/queries/report-schedules'
import { findOrgVehicleIds } from '@fms/db/queries/vehicles'
import type { ReportScheduleRow } from '@fms/db/schema'
import { findNextReportRun, type ReportTiming } from '@fms/engine'
import type { ApiDeps, DbDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import {
  MAX_REPORT_SCHEDULES_PER_ORG,
  type TCreateReportScheduleInput,
  type TUpdateReportScheduleInput,
} from '../schemas/index.ts'
import { orNotFound } from './db-errors.ts'

/** The caller: schedules are the organization's; `userId` is recorded as their creator. */
interface Owner {
  orgId: string
  userId: string
}

/** A schedule as the API shows it (no organization id). */
function toSchedule(row: ReportScheduleRow) {
  const { orgId: _, ...rest } = row
  return rest
}

/** When a schedule of this timing should next run, seen from `now`. */
function findScheduleNextRunAt(timing: ReportTiming, now = Date.now()): Date {
  return new Date(findNextReportRun(timing, now).dueAt)
}

/**
 * Refuses recipients and vehicles that are not the organization's, naming the field
 * (NOT_FOUND, the same answer for another organization's ids as for ids that never existed).
 */
async function checkMembers(
  db: Database,
  orgId: string,
  input: { recipientUserIds?: string[] | undefined; vehicleIds?: string[] | null | undefined },
) {
  const fieldErrors: Record<string, string[]> = {}
  if (input.recipientUserIds) {
    const found = await findOrgUserIds(db, { orgId, userIds: input.recipientUserIds })
    if (found.size !== input.recipientUserIds.length) {
      fieldErrors.recipientUserIds = ['User not found']
    }
  }
  if (input.vehicleIds) {
    const found = await findOrgVehicleIds(db, { orgId, vehicleIds: input.vehicleIds })
    if (found.size !== input.vehicleIds.length) fieldErrors.vehicleIds = ['Vehicle not found']
  }
  const [first] = Object.values(fieldErrors)
  if (first) throw new AppError('NOT_FOUND', first[0] ?? 'Not found', { fieldErrors })
}

/** The schedules, the zone those without one follow, and whether email can go out at all. */
export async function listOrgReportSchedules(deps: Pick<ApiDeps, 'db' | 'email'>, orgId: string) {
  const [calendar, rows] = await Promise.all([
    findOrgCalendar(deps.db, orgId),
    listReportSchedules(deps.db, orgId),
  ])
  return {
    isEmailEnabled: deps.email !== undefined,
    orgTimeZone: calendar.timeZone,
    items: rows.map(toSchedule),
  }
}

export async function createOrgReportSchedule(
  deps: DbDeps,
  owner: Owner,
  input: TCreateReportScheduleInput,
) {
  await checkMembers(deps.db, owner.orgId, input)
  return deps.db.transaction(async (tx) => {
    if ((await countReportSchedules(tx, owner.orgId)) >= MAX_REPORT_SCHEDULES_PER_ORG) {
      throw new AppError(
        'BAD_REQUEST',
        `At most ${MAX_REPORT_SCHEDULES_PER_ORG} report schedules; change or remove one`,
      )
    }
    const calendar = await findOrgCalendar(tx, owner.orgId)
    const timeZone = input.timeZone ?? calendar.timeZone
    const fields: ReportScheduleFields = {
      ...input,
      nextRunAt: findScheduleNextRunAt({ ...input, timeZone, weekStart: calendar.weekStart }),
    }
    const row = await createReportSchedule(tx, {
      orgId: owner.orgId,
      createdBy: owner.userId,
      fields,
    })
    return toSchedule(row)
  })
}

/**
 * Changes a schedule. A new frequency, zone or send hour, or enabling it again, sets its next run
 * afresh from now (a re-enabled schedule does not send at once what it missed while off).
 */
export async function updateOrgReportSchedule(
  deps: DbDeps,
  owner: Owner,
  input: TUpdateReportScheduleInput,
) {
  const { id, ...patch } = input
  const current = await orNotFound(
    findReportSchedule(deps.db, { orgId: owner.orgId, id }),
    'Report schedule',
  )
  await checkMembers(deps.db, owner.orgId, patch)
  const merged = {
    frequency: patch.frequency ?? current.frequency,
    timeZone: patch.timeZone === undefined ? current.timeZone : patch.timeZone,
    sendHour: patch.sendHour ?? current.sendHour,
  }
  const isRetimed =
    merged.frequency !== current.frequency ||
    merged.timeZone !== current.timeZone ||
    merged.sendHour !== current.sendHour ||
    (patch.isEnabled === true && !current.isEnabled)
  const fields: Partial<ReportScheduleFields> = { ...patch }
  if (isRetimed) {
    const calendar = await findOrgCalendar(deps.db, owner.orgId)
    const timeZone = merged.timeZone ?? calendar.timeZone
    fields.nextRunAt = findScheduleNextRunAt({ ...merged, timeZone, weekStart: calendar.weekStart })
  }
  const row = await orNotFound(
    updateReportSchedule(deps.db, { orgId: owner.orgId, id, fields }),
    'Report schedule',
  )
  return toSchedule(row)
}

export async function removeOrgReportSchedule(deps: DbDeps, orgId: string, id: string) {
  const row = await orNotFound(deleteReportSchedule(deps.db, { orgId, id }), 'Report schedule')
  return { id: row.id }
}
