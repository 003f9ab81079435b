import type { EmailInsert } from '@fms/db/queries/email-outbox'
import type { VehicleScope } from '@fms/db/queries/vehicle-scope'
import type { EmailAttachment, ReportScheduleRow } from '@fms/db/schema'
import { type DailySummary, listDays, type ReportRun, sumSummaries } from '@fms/engine'
import type { DbDeps } from '../context.ts'
import { REPORT_MAX_VEHICLES } from '../schemas/reports.ts'
import { convertDistance } from '../schemas/units.ts'
import { summarizeVehicleDays } from './daily-figures.ts'
import { appLink, type EmailSettings, renderEmail } from './email-render.ts'
import {
  type CsvUnits,
  DAILY_CSV_MAX_VEHICLES,
  DAILY_CSV_PIECE_VEHICLES,
  formatCsvFilename,
  formatDailyCsvHeader,
  formatDailyCsvRows,
  formatTripsCsv,
  METRIC_CSV_UNITS,
} from './report-csv.ts'
import { buildTripsReport, findReportVehicles, type TripRow, type VehicleRef } from './reports.ts'

/**
 * Most rows in each attachment: a month of about 650 vehicles' days, or 20,000 trips, a few MB
 * of CSV, which mail servers still take; the email says when a file was cut short.
 */
export const SCHEDULED_REPORT_MAX_ROWS = 20_000
/** Vehicles ranked in the email's summary. */
const TOP_VEHICLES = 5

export interface ScheduledReportTotals {
  vehicleCount: number
  distanceKm: number
  drivingSec: number
  tripCount: number
  top: { code: string; distanceKm: number; drivingSec: number; tripCount: number }[]
}

export interface ScheduledReport {
  totals: ScheduledReportTotals
  /** The units of the files and the email. */
  units: CsvUnits
  attachments: EmailAttachment[]
  isDailyCapped: boolean
  /** Trips of only some vehicles: past the row cap, or more vehicles than a trips report takes. */
  isTripsCapped: boolean
}

/** The schedule's vehicles that still exist (null: all of the organization's). */
async function findScheduleVehicles(deps: DbDeps, scope: VehicleScope, ids: string[] | null) {
  const all = await findReportVehicles(deps, scope, undefined, DAILY_CSV_MAX_VEHICLES)
  if (!ids) return all
  const wanted = new Set(ids)
  return all.filter((v) => wanted.has(v.id))
}

/** Each vehicle's days as the daily CSV has them, summed for the email, rows capped. */
async function buildDaily(
  deps: DbDeps,
  orgId: string,
  vehicles: VehicleRef[],
  run: ReportRun,
  timeZone: string,
  units: CsvUnits,
) {
  const days = listDays(run.fromDate, run.toDate, timeZone)
  let csv = formatDailyCsvHeader(units)
  let rowsLeft = SCHEDULED_REPORT_MAX_ROWS
  let isCapped = false
  const sums: { code: string; total: Omit<DailySummary, 'date'> | null }[] = []
  for (let i = 0; i < vehicles.length; i += DAILY_CSV_PIECE_VEHICLES) {
    const piece = vehicles.slice(i, i + DAILY_CSV_PIECE_VEHICLES)
    const lists = await summarizeVehicleDays(deps.db, {
      orgId,
      vehicleIds: piece.map((v) => v.id),
      days,
    })
    const rows = piece.map((v, index) => {
      const list = lists[index] ?? []
      sums.push({ code: v.code, total: sumSummaries(list) })
      const kept = list.slice(0, Math.max(0, rowsLeft))
      if (kept.length < list.length) isCapped = true
      rowsLeft -= kept.length
      return { vehicleId: v.id, vehicleCode: v.code, fuelTankLitres: v.fuelTankLitres, days: kept }
    })
    csv += formatDailyCsvRows(rows, units)
  }
  return { csv, sums, isCapped }
}

/** Trips of the vehicles one after another through the trips report, until a cap is reached. */
async function buildTrips(
  deps: DbDeps,
  scope: VehicleScope,
  vehicles: VehicleRef[],
  run: ReportRun,
  units: CsvUnits,
) {
  const trips: TripRow[] = []
  let isCapped = vehicles.length > REPORT_MAX_VEHICLES
  for (const vehicle of vehicles.slice(0, REPORT_MAX_VEHICLES)) {
    const report = await buildTripsReport(deps, scope, {
      vehicleId: vehicle.id,
      from: new Date(run.start),
      to: new Date(run.end),
    })
    trips.push(...report.trips)
    if (trips.length >= SCHEDULED_REPORT_MAX_ROWS) {
      isCapped = trips.length > SCHEDULED_REPORT_MAX_ROWS || vehicle !== vehicles.at(-1)
      trips.length = SCHEDULED_REPORT_MAX_ROWS
      break
    }
  }
  return { csv: formatTripsCsv(trips, units), isCapped }
}

/**
 * The report of one schedule's period: the daily summary CSV and the trips CSV of its vehicles
 * (the same services and columns as the reports page), and totals for the email. Reads through
 * `deps.db`, the caller's transaction. Activity is not caught up here: the caller does it first.
 */
export async function buildScheduledReport(
  deps: DbDeps,
  params: {
    /** The vehicles the recipients may see (a group-limited recipient: only theirs). */
    scope: VehicleScope
    vehicleIds: string[] | null
    run: ReportRun
    timeZone: string
    /** The files' and the email's units (the API's metric ones unless given). */
    units?: CsvUnits
  },
): Promise<ScheduledReport> {
  const { scope, run, timeZone } = params
  const units = params.units ?? METRIC_CSV_UNITS
  const vehicles = await findScheduleVehicles(deps, scope, params.vehicleIds)
  const daily = await buildDaily(deps, scope.orgId, vehicles, run, timeZone, units)
  const trips = await buildTrips(deps, scope, vehicles, run, units)
  const totals: ScheduledReportTotals = {
    vehicleCount: vehicles.length,
    distanceKm: 0,
    drivingSec: 0,
    tripCount: 0,
    top: [],
  }
  for (const { total } of daily.sums) {
    totals.distanceKm += total?.distanceKm ?? 0
    totals.drivingSec += total?.drivingSec ?? 0
    totals.tripCount += total?.tripCount ?? 0
  }
  totals.top = daily.sums
    .filter((s) => (s.total?.distanceKm ?? 0) > 0)
    .sort((a, b) => (b.total?.distanceKm ?? 0) - (a.total?.distanceKm ?? 0))
    .slice(0, TOP_VEHICLES)
    .map((s) => ({
      code: s.code,
      distanceKm: s.total?.distanceKm ?? 0,
      drivingSec: s.total?.drivingSec ?? 0,
      tripCount: s.total?.tripCount ?? 0,
    }))
  const csv = 'text/csv; charset=utf-8'
  return {
    totals,
    units,
    isDailyCapped: daily.isCapped,
    isTripsCapped: trips.isCapped,
    attachments: [
      {
        filename: formatCsvFilename('daily', run.fromDate, run.toDate),
        contentType: csv,
        content: daily.csv,
      },
      {
        filename: formatCsvFilename('trips', run.fromDate, run.toDate),
        contentType: csv,
        content: trips.csv,
      },
    ],
  }
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`

function formatDistance(km: number, units: CsvUnits): string {
  const value = convertDistance(km, units.distanceUnit)
  return `${(Math.round(value * 10) / 10).toLocaleString('en-US')} ${units.distanceUnit}`
}

function formatHours(sec: number): string {
  const minutes = Math.round(sec / 60)
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}

function formatDate(date: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(`${date}T00:00:00Z`))
}

const FREQUENCY_WORDS = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly' } as const

/** The period in words: "3 Jul 2026", or "29 Jun 2026 – 5 Jul 2026". */
export function describeReportPeriod(run: Pick<ReportRun, 'fromDate' | 'toDate'>): string {
  return run.fromDate === run.toDate
    ? formatDate(run.fromDate)
    : `${formatDate(run.fromDate)} – ${formatDate(run.toDate)}`
}

/**
 * One email per recipient: the totals, the top vehicles and a link to the reports page, with the
 * two CSV files attached. Every name in it is the schedule's or a vehicle's: treated as untrusted.
 */
export function renderScheduledReportEmails(
  settings: EmailSettings,
  params: {
    schedule: Pick<ReportScheduleRow, 'orgId' | 'name' | 'frequency'>
    run: ReportRun
    timeZone: string
    report: ScheduledReport
    recipients: { id: string; email: string }[]
  },
): EmailInsert[] {
  const { schedule, run, timeZone, report } = params
  const { totals } = report
  const period = describeReportPeriod(run)
  const paragraphs = [
    `${FREQUENCY_WORDS[schedule.frequency]} report for ${period} (${timeZone}).`,
    `${count(totals.vehicleCount, 'vehicle')}: ${formatDistance(totals.distanceKm, report.units)} driven in ${formatHours(totals.drivingSec)}, ${count(totals.tripCount, 'trip')}.`,
  ]
  if (report.isDailyCapped) {
    paragraphs.push(
      `The daily summary file holds the first ${SCHEDULED_REPORT_MAX_ROWS.toLocaleString('en-US')} rows only; open the reports page for the rest.`,
    )
  }
  if (report.isTripsCapped) {
    paragraphs.push(
      `The trips file holds the trips of the first vehicles only (at most ${SCHEDULED_REPORT_MAX_ROWS.toLocaleString('en-US')} trips of ${REPORT_MAX_VEHICLES} vehicles); open the reports page for the rest.`,
    )
  }
  const rendered = renderEmail({
    subject: `[FMS] ${schedule.name}: ${period}`,
    title: `${schedule.name} — ${period}`,
    paragraphs,
    table:
      totals.top.length === 0
        ? undefined
        : {
            columns: ['Vehicle', 'Distance', 'Driving', 'Trips'],
            rows: totals.top.map((v) => [
              v.code,
              formatDistance(v.distanceKm, report.units),
              formatHours(v.drivingSec),
              String(v.tripCount),
            ]),
          },
    action: { label: 'Open the reports', url: appLink(settings, '/reports') },
    footer: [
      `You get this because an administrator of your organization added you to the report schedule "${schedule.name}".`,
      'Ask them to take you off it, or to change it.',
    ],
  })
  return params.recipients.map((recipient) => ({
    orgId: schedule.orgId,
    userId: recipient.id,
    purpose: 'report',
    toAddress: recipient.email,
    ...rendered,
    attachments: report.attachments,
  }))
}
