import { findSchedulesDue } from '@fms/api'
import { type Database, sql } from '@fms/db'
import { type AlertUpsert, insertNewAlerts } from '@fms/db/queries/alerts'
import { listAllSchedules } from '@fms/db/queries/maintenance'
import { rowsOf } from '@fms/db/queries/rows'
import type { AlertRow } from '@fms/db/schema'
import type { LiveHub } from '@fms/live'
import { publishAlertChanges, queueAlertDeliveries, type WrittenAlerts } from './alerts/changes.ts'
import { errorFields, logger } from './logger.ts'

/** One checker at a time across the nodes: a transaction-scoped advisory lock ("FMSM"). */
const CHECK_LOCK_KEY = 0x464d534d

export interface MaintenanceChecker {
  /** Runs one check now (tests); resolves with the alerts it raised. */
  checkNow(): Promise<number>
  close(): Promise<void>
}

function describeDue(
  scheduleName: string,
  vehicleCode: string,
  due: {
    status: string
    remainingKm: number | null
    remainingHours: number | null
    remainingDays: number | null
  },
) {
  const parts: string[] = []
  const left = (value: number | null, unit: string) => {
    if (value === null) return
    parts.push(
      value >= 0 ? `${Math.round(value)} ${unit} left` : `${Math.round(-value)} ${unit} over`,
    )
  }
  left(due.remainingKm, 'km')
  left(due.remainingHours, 'h')
  left(due.remainingDays, 'days')
  const state = due.status === 'overdue' ? 'overdue' : 'due soon'
  return `${scheduleName} ${state} for ${vehicleCode}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`
}

/**
 * Raises `maintenance_due` alerts: every `intervalMs`, works out every schedule's vehicles and,
 * for each that is due soon or overdue, stores an alert once per threshold (key: schedule,
 * vehicle, the service the interval counts from, and the level), with its webhook deliveries in
 * the same transaction; a completed service starts new keys. Every node runs one; the advisory
 * lock lets one at a time work and the others skip the turn. Failures are logged and retried.
 */
export function startMaintenanceChecker(
  db: Database,
  live: LiveHub,
  options: { intervalMs: number; isEmailEnabled: boolean },
): MaintenanceChecker {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> = Promise.resolve(0)
  let isClosed = false

  async function check(): Promise<number> {
    const written = await db.transaction(async (tx) => {
      const [lock] = rowsOf(
        await tx.execute(sql`select pg_try_advisory_xact_lock(${CHECK_LOCK_KEY}) as locked`),
      )
      if (lock?.locked !== true) return []
      const schedules = await listAllSchedules(tx)
      const now = Date.now()
      const alerts: AlertUpsert[] = []
      for (const schedule of await findSchedulesDue({ db: tx }, schedules, now)) {
        for (const vehicle of schedule.vehicles) {
          if (vehicle.status === 'ok') continue
          const since = vehicle.sinceServiceId ?? 'start'
          alerts.push({
            orgId: schedule.orgId,
            vehicleId: vehicle.vehicleId,
            ruleId: null,
            kind: 'maintenance_due',
            key: `maintenance_due:${schedule.id}:${vehicle.vehicleId}:${since}:${vehicle.status}`,
            time: new Date(now),
            endTime: new Date(now),
            emittedAt: new Date(now),
            value: vehicle.remainingKm ?? vehicle.remainingHours ?? vehicle.remainingDays,
            message: describeDue(schedule.name, vehicle.vehicleCode, vehicle),
          })
        }
      }
      const inserted: AlertRow[] = []
      for (let i = 0; i < alerts.length; i += 500) {
        inserted.push(...(await insertNewAlerts(tx, alerts.slice(i, i + 500))))
      }
      const byOrg = new Map<string, AlertRow[]>()
      for (const row of inserted) byOrg.set(row.orgId, [...(byOrg.get(row.orgId) ?? []), row])
      const results: WrittenAlerts[] = []
      for (const [orgId, rows] of byOrg) {
        results.push(
          await queueAlertDeliveries(tx, {
            orgId,
            rows,
            retracted: [],
            isEmailEnabled: options.isEmailEnabled,
          }),
        )
      }
      return results
    })
    for (const alerts of written) publishAlertChanges(live, alerts)
    return written.reduce((sum, alerts) => sum + alerts.rows.length, 0)
  }

  function runOnce(): Promise<number> {
    running = running.catch(() => 0).then(check)
    return running
  }

  function schedule() {
    if (isClosed) return
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) => logger.warn('maintenance check failed', errorFields(error)))
        .finally(schedule)
    }, options.intervalMs)
    timer.unref()
  }
  schedule()

  return {
    checkNow: runOnce,
    async close() {
      isClosed = true
      clearTimeout(timer)
      await running.catch(() => 0)
    },
  }
}
