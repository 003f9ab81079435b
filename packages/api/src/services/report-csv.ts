import { findVehicleAlerts } from '@fms/db/queries/alerts'
import type { VehicleScope } from '@fms/db/queries/vehicle-scope'
import { findVehicleRefs } from '@fms/db/queries/vehicles'
import { type DailySummary, listDays, RULE_KINDS, roundDay, toLitres } from '@fms/engine'
import type { DbDeps } from '../context.ts'
import type { TAlertsCsvInput, TDailyCsvInput } from '../schemas/reports.ts'
import type { TDisplaySettings } from '../schemas/settings.ts'
import { convertDistance, convertSpeed, convertVolume, SPEED_SUFFIXES } from '../schemas/units.ts'
import { catchUpOrgActivity } from './activity.ts'
import { formatCsv, formatCsvRows, formatIsoTime, roundTo } from './csv.ts'
import { summarizeVehicleDays } from './daily-figures.ts'
import { findReportVehicles, type TripRow } from './reports.ts'

/** The units a CSV is written in; its header names them (`distance_mi`, `fuel_used_gal`). */
export type CsvUnits = Pick<TDisplaySettings, 'distanceUnit' | 'volumeUnit'>

export const METRIC_CSV_UNITS: CsvUnits = { distanceUnit: 'km', volumeUnit: 'L' }

const VOLUME_SUFFIXES = { L: 'l', gal: 'gal' } as const

function distanceIn(value: number | null, units: CsvUnits, digits: number) {
  return roundTo(value === null ? null : convertDistance(value, units.distanceUnit), digits)
}

function speedIn(value: number | null, units: CsvUnits) {
  return roundTo(value === null ? null : convertSpeed(value, units.distanceUnit), 1)
}

function volumeIn(value: number | null, units: CsvUnits) {
  return roundTo(value === null ? null : convertVolume(value, units.volumeUnit), 1)
}

/** Most alerts one CSV export holds. */
export const ALERTS_CSV_MAX_ROWS = 50_000

export function formatTripsCsv(trips: readonly TripRow[], units: CsvUnits = METRIC_CSV_UNITS) {
  const distance = units.distanceUnit
  const speed = SPEED_SUFFIXES[units.distanceUnit]
  return formatCsv(
    [
      'vehicle_code',
      'vehicle_id',
      'start',
      'end',
      'start_lat',
      'start_lon',
      'end_lat',
      'end_lon',
      `distance_${distance}`,
      `odometer_${distance}`,
      `max_speed_${speed}`,
      `avg_speed_${speed}`,
      'driving_sec',
      'idle_sec',
      'is_complete',
      'driver',
    ],
    trips.map((t) => [
      t.vehicleCode,
      t.vehicleId,
      formatIsoTime(t.start),
      formatIsoTime(t.end),
      t.startLat,
      t.startLon,
      t.endLat,
      t.endLon,
      distanceIn(t.distanceKm, units, 3),
      distanceIn(t.odometerKm, units, 3),
      speedIn(t.maxSpeed, units),
      speedIn(t.avgSpeed, units),
      Math.round(t.drivingSec),
      Math.round(t.idleSec),
      t.isComplete,
      t.driverName,
    ]),
  )
}

function dailyCsvHeader(units: CsvUnits) {
  const speed = SPEED_SUFFIXES[units.distanceUnit]
  const volume = VOLUME_SUFFIXES[units.volumeUnit]
  return [
    'vehicle_code',
    'vehicle_id',
    'date',
    `distance_${units.distanceUnit}`,
    'driving_sec',
    'idle_sec',
    `max_speed_${speed}`,
    `avg_speed_${speed}`,
    'fuel_used_pct',
    'refuelled_pct',
    `fuel_used_${volume}`,
    `refuelled_${volume}`,
    'refuel_count',
    'trip_count',
    ...RULE_KINDS.map((kind) => `alerts_${kind}`),
  ]
}

/** The daily CSV's header row, naming its units. */
export function formatDailyCsvHeader(units: CsvUnits = METRIC_CSV_UNITS): string {
  return formatCsv(dailyCsvHeader(units), [])
}

/** The daily CSV's rows for these vehicles' days, figures rounded as reports show them. */
export function formatDailyCsvRows(
  vehicles: readonly {
    vehicleId: string
    vehicleCode: string
    fuelTankLitres: number | null
    days: DailySummary[]
  }[],
  units: CsvUnits = METRIC_CSV_UNITS,
): string {
  const rows = vehicles.flatMap((v) =>
    v.days
      .map(roundDay)
      .map((d) => [
        v.vehicleCode,
        v.vehicleId,
        d.date,
        distanceIn(d.distanceKm, units, 3),
        Math.round(d.drivingSec),
        Math.round(d.idleSec),
        speedIn(d.maxSpeed, units),
        speedIn(d.avgSpeed, units),
        roundTo(d.fuelUsedPct, 1),
        roundTo(d.refuelledPct, 1),
        volumeIn(toLitres(d.fuelUsedPct, v.fuelTankLitres), units),
        volumeIn(d.fuelUsedPct === null ? null : toLitres(d.refuelledPct, v.fuelTankLitres), units),
        d.refuelCount,
        d.tripCount,
        ...RULE_KINDS.map((kind) => d.alertCounts[kind]),
      ]),
  )
  return formatCsvRows(rows)
}

/**
 * Vehicles summarized per piece of the daily CSV: a piece is written (and its memory let go)
 * before the next is read, so a fleet of any size streams in about 250 x 31 rows at a time.
 */
export const DAILY_CSV_PIECE_VEHICLES = 250
/** Most vehicles one daily CSV covers (only their ids and codes are held for the whole export). */
export const DAILY_CSV_MAX_VEHICLES = 100_000

/**
 * The daily CSV of the organization's vehicles (or of `vehicleId`), checked before anything is
 * sent (NOT_FOUND outside the org, BAD_REQUEST past the limit) and brought up to date once; then
 * `pieces` yields the header and each DAILY_CSV_PIECE_VEHICLES vehicles' rows, reading each
 * piece only when asked, so a slow reader holds back the database work too.
 */
export async function openDailyCsv(
  deps: DbDeps,
  scope: VehicleScope,
  input: TDailyCsvInput,
  units: CsvUnits = METRIC_CSV_UNITS,
) {
  const { orgId } = scope
  const vehicles = await findReportVehicles(deps, scope, input.vehicleId, DAILY_CSV_MAX_VEHICLES)
  await catchUpOrgActivity(deps.db, orgId)
  const days = listDays(input.from, input.to, input.timeZone)
  async function* pieces(): AsyncGenerator<string> {
    yield formatDailyCsvHeader(units)
    for (let i = 0; i < vehicles.length; i += DAILY_CSV_PIECE_VEHICLES) {
      const piece = vehicles.slice(i, i + DAILY_CSV_PIECE_VEHICLES)
      const lists = await summarizeVehicleDays(deps.db, {
        orgId,
        vehicleIds: piece.map((v) => v.id),
        days,
      })
      yield formatDailyCsvRows(
        piece.map((v, index) => ({
          vehicleId: v.id,
          vehicleCode: v.code,
          fuelTankLitres: v.fuelTankLitres,
          days: lists[index] ?? [],
        })),
        units,
      )
    }
  }
  return { filename: formatCsvFilename('daily', input.from, input.to), pieces: pieces() }
}

/** The organization's alerts starting in [from, to) as CSV, oldest first. */
export async function buildAlertsCsv(deps: DbDeps, scope: VehicleScope, input: TAlertsCsvInput) {
  const { orgId } = scope
  const [alerts, refs] = await Promise.all([
    findVehicleAlerts(deps.db, { ...input, orgId, scope, limit: ALERTS_CSV_MAX_ROWS }),
    findVehicleRefs(deps.db, { scope, limit: 100_000 }),
  ])
  const codes = new Map(refs.map((r) => [r.id, r.code]))
  const rows = alerts
    .filter((a) => !input.kind || a.kind === input.kind)
    .map((a) => [
      codes.get(a.vehicleId) ?? '',
      a.vehicleId,
      a.kind,
      formatIsoTime(a.time.getTime()),
      formatIsoTime(a.endTime?.getTime()),
      a.value,
      a.message,
      formatIsoTime(a.acknowledgedAt?.getTime()),
      a.key,
    ])
  return formatCsv(
    [
      'vehicle_code',
      'vehicle_id',
      'kind',
      'time',
      'end_time',
      'value',
      'message',
      'acknowledged_at',
      'key',
    ],
    rows,
  )
}

/** `fms-<what>-<from>_<to>.csv` with safe characters only. */
export function formatCsvFilename(what: string, from: string | Date, to: string | Date) {
  const day = (d: string | Date) => (typeof d === 'string' ? d : d.toISOString().slice(0, 10))
  return `fms-${what}-${day(from)}_${day(to)}.csv`.replace(/[^A-Za-z0-9._-]/g, '_')
}
