import {
  buildScheduledReport,
  catchUpOrgActivity,
  type EmailSettings,
  findEffectiveSettings,
  renderScheduledReportEmails,
} from '@fms/api'
import type { Database } from '@fms/db'
import { enqueueEmails } from '@fms/db/queries/email-outbox'
import {
  claimDueReportSchedule,
  findDueReportOrgIds,
  findVerifiedRecipients,
  setReportScheduleFailure,
  setReportScheduleRun,
} from '@fms/db/queries/report-schedules'
import { findVehicleScopes, type VehicleScope } from '@fms/db/queries/vehicle-scope'
import type { ReportScheduleRow } from '@fms/db/schema'
import { findLatestReportRun, findNextReportRun, type ReportTiming } from '@fms/engine'
import { errorFields, logger } from './logger.ts'
import { startWorkLoop } from './work-loop.ts'

/** Schedules run per round at most (the loop goes again at once while there are more). */
const ROUND_LIMIT = 20
/** A failed run is retried after half the time since it was due, within these bounds. */
export const REPORT_RETRY = { minMs: 60_000, maxMs: 6 * 3_600_000 }
const NO_RECIPIENT = 'No recipient has a verified email address'

interface Claimed {
  schedule: ReportScheduleRow
  timing: ReportTiming
}

function timingOf(
  schedule: ReportScheduleRow,
  org: { orgTimeZone: string; orgWeekStart: ReportTiming['weekStart'] },
): ReportTiming {
  return {
    frequency: schedule.frequency,
    timeZone: schedule.timeZone ?? org.orgTimeZone,
    sendHour: schedule.sendHour,
    weekStart: org.orgWeekStart,
  }
}

/** When to try a failed run again: later each time, and never past the next regular run. */
export function findRetryAt(timing: ReportTiming, now: number): number {
  try {
    const dueAt = findLatestReportRun(timing, now).dueAt
    const delay = Math.min(REPORT_RETRY.maxMs, Math.max(REPORT_RETRY.minMs, (now - dueAt) / 2))
    return Math.min(now + delay, findNextReportRun(timing, now).dueAt)
  } catch {
    return now + REPORT_RETRY.maxMs
  }
}

/**
 * Sends scheduled reports (runs only with email on). Each round brings the figures of the
 * organizations with a schedule due up to date, then takes due schedules one at a time: in one
 * transaction it locks the schedule (`skip locked`: another node takes another), builds the
 * report of the latest period due, queues one email per verified recipient in the outbox (the
 * mailer sends them, with retries) and moves `next_run_at` to the next period's due time. So a
 * period goes out once across nodes, and a crash before the commit sends nothing and loses
 * nothing: the schedule is still due. A schedule that fails is rolled back, its error recorded
 * and retried later (backing off), and the others go on.
 */
type Recipient = Awaited<ReturnType<typeof findVerifiedRecipients>>[number]

export function startReportScheduler(
  db: Database,
  settings: EmailSettings,
  options: { intervalMs: number; autoStart?: boolean },
) {
  async function runOne(): Promise<boolean> {
    let claimed: Claimed | null = null
    try {
      return await db.transaction(async (tx) => {
        const due = await claimDueReportSchedule(tx, new Date())
        if (!due) return false
        const { schedule } = due
        const timing = timingOf(schedule, due)
        claimed = { schedule, timing }
        const now = Date.now()
        const run = findLatestReportRun(timing, now)
        const next = findNextReportRun(timing, now)
        const recipients = await findVerifiedRecipients(tx, {
          orgId: schedule.orgId,
          userIds: schedule.recipientUserIds,
        })
        // One set of units for every recipient: the organization's.
        const units = await findEffectiveSettings(
          { db: tx },
          { orgId: schedule.orgId, userId: null },
        )
        // A recipient limited to vehicle groups gets a report of only their vehicles: one report
        // per distinct set of vehicles among the recipients.
        const scopes = await findVehicleScopes(
          tx,
          recipients.map((r) => r.id),
        )
        const byScope = new Map<string, { scope: VehicleScope; recipients: Recipient[] }>()
        for (const recipient of recipients) {
          // null: sees the whole organization; a recipient gone meanwhile sees nothing.
          const vehicleIds = scopes.has(recipient.id) ? (scopes.get(recipient.id) ?? null) : []
          const key = vehicleIds === null ? '*' : vehicleIds.join(',')
          const entry = byScope.get(key) ?? {
            scope: { orgId: schedule.orgId, vehicleIds },
            recipients: [] as Recipient[],
          }
          entry.recipients.push(recipient)
          byScope.set(key, entry)
        }
        for (const entry of byScope.values()) {
          const report = await buildScheduledReport(
            { db: tx },
            {
              scope: entry.scope,
              vehicleIds: schedule.vehicleIds,
              run,
              timeZone: timing.timeZone,
              units,
            },
          )
          const emails = renderScheduledReportEmails(settings, {
            schedule,
            run,
            timeZone: timing.timeZone,
            report,
            recipients: entry.recipients,
          })
          await enqueueEmails(tx, emails)
        }
        await setReportScheduleRun(tx, {
          id: schedule.id,
          nextRunAt: new Date(next.dueAt),
          lastRunAt: new Date(now),
          lastError: recipients.length > 0 ? null : NO_RECIPIENT,
        })
        logger.info('scheduled report queued', {
          scheduleId: schedule.id,
          period: `${run.fromDate}/${run.toDate}`,
          emails: recipients.length,
          skippedUnverified: schedule.recipientUserIds.length - recipients.length,
        })
        return true
      })
    } catch (error) {
      const failed = claimed as Claimed | null
      if (!failed) throw error
      const now = Date.now()
      const message = error instanceof Error ? error.message : String(error)
      await setReportScheduleFailure(db, {
        id: failed.schedule.id,
        claimedNextRunAt: failed.schedule.nextRunAt,
        retryAt: new Date(findRetryAt(failed.timing, now)),
        lastError: `Could not build or queue the report: ${message}`.slice(0, 500),
      })
      logger.warn('scheduled report failed', {
        scheduleId: failed.schedule.id,
        ...errorFields(error),
      })
      return true
    }
  }

  async function round(): Promise<number> {
    // Outside the claim transaction: a catch-up takes its own locks and may take a while.
    for (const orgId of await findDueReportOrgIds(db, new Date())) {
      await catchUpOrgActivity(db, orgId)
    }
    let count = 0
    while (count < ROUND_LIMIT && (await runOne())) count++
    return count
  }

  const loop = startWorkLoop(round, {
    intervalMs: options.intervalMs,
    autoStart: options.autoStart,
    onError: (error) => logger.warn('report scheduler round failed', errorFields(error)),
  })
  return { runOnce: loop.runOnce, close: loop.stop }
}
