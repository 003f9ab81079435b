import { useQuery } from '@tanstack/react-query'
import { useId, useMemo, useState } from 'react'
import { formatDriverName } from '../drivers/driver-score'
import { formatDateTime, formatTimeRange } from '../lib/format'
import { hrefTo, type TTimeSpan } from '../lib/hash-route'
import { useDocumentTitle } from '../lib/use-document-title'
import { useFleetStore } from '../live/live-fleet'
import { useFleetVersion, useNow } from '../live/use-fleet-version'
import { useTRPC } from '../trpc'
import { HistoryExportButtons } from './history-export-buttons'
import {
  describeHistory,
  findTimeWindow,
  TIME_RANGES,
  type TTimeRangeKey,
  toSeries,
  toTrack,
} from './history-series'
import { LatestReadings } from './latest-readings'
import { ReplayControls } from './replay-controls'
import { TelemetryChart } from './telemetry-chart'
import { TrackMap } from './track-map'
import { useReplay } from './use-replay'
import { VehicleDevices } from './vehicle-devices'
import './vehicle-page.css'

/** Points asked for per range: enough for a detailed chart, small enough to load fast. */
const HISTORY_MAX_POINTS = 2000

/** The history charts, in order: each a reading of the series. */
const CHARTS = [
  { field: 'speed', title: 'Speed', unit: 'km/h', color: '#1f5fbf' },
  { field: 'rpm', title: 'RPM', unit: 'rpm', color: '#7c3aed' },
  { field: 'fuel', title: 'Fuel', unit: '%', color: '#1a7f37' },
  { field: 'coolantTemp', title: 'Coolant temperature', unit: '°C', color: '#c2410c' },
] as const

/** A preset ending now, or the range the page was opened with (a trip from the reports). */
type TRangeKey = TTimeRangeKey | 'custom'

function findRange(key: TRangeKey, custom: TTimeSpan | undefined) {
  if (key === 'custom' && custom) {
    return { key, from: new Date(custom.from), to: new Date(custom.to) }
  }
  const preset = key === 'custom' ? '24h' : key
  return { key: preset, ...findTimeWindow(preset, Date.now()) }
}

/**
 * One vehicle: its live readings, and for a chosen range its track (with replay) and charts.
 * `range` (from the link, e.g. a trip) is shown first and stays offered beside the presets.
 */
export function VehiclePage({
  vehicleId,
  range: custom,
}: {
  vehicleId: string
  range?: TTimeSpan
}) {
  const trpc = useTRPC()
  const store = useFleetStore()
  useFleetVersion(store, 1000)
  const now = useNow()
  const rangeId = useId()
  const [range, setRange] = useState<{ key: TRangeKey; from: Date; to: Date }>(() =>
    findRange(custom ? 'custom' : '24h', custom),
  )
  const vehicle = useQuery(trpc.vehicles.byId.queryOptions({ id: vehicleId }))
  // Who drives it now: its stint covering the moment the page opened.
  const [openedAt] = useState(() => Date.now())
  const currentDriver = useQuery(
    trpc.drivers.assignments.queryOptions({
      vehicleId,
      from: new Date(openedAt),
      to: new Date(openedAt + 1),
      limit: 1,
    }),
  )
  const history = useQuery(
    trpc.telemetry.history.queryOptions({
      vehicleId,
      from: range.from,
      to: range.to,
      maxPoints: HISTORY_MAX_POINTS,
    }),
  )
  const points = history.data?.points
  const series = useMemo(() => toSeries(points ?? []), [points])
  const track = useMemo(() => toTrack(points ?? []), [points])
  const replay = useReplay(track)
  useDocumentTitle(vehicle.data?.code ?? 'Vehicle')

  function selectRange(key: TRangeKey) {
    setRange(findRange(key, custom))
  }

  function refreshHistory() {
    // A fixed range is asked again as it is; a preset moves on to end now.
    if (range.key === 'custom') void history.refetch()
    else selectRange(range.key)
  }

  if (vehicle.isError) {
    return (
      <main className="page">
        <h1>Vehicle not found</h1>
        <p role="alert">There is no such vehicle in your organization.</p>
        <a href={hrefTo('vehicles')}>Back to vehicles</a>
      </main>
    )
  }
  const details = vehicle.data
  const live = store.get(vehicleId)
  const driver = currentDriver.data?.items[0]
  return (
    <main className="page vehicle-page">
      <p>
        <a href={hrefTo('map')}>← Live map</a>
      </p>
      <h1>{details?.code ?? 'Vehicle'}</h1>
      {details && (
        <p className="muted">
          {[
            details.plate,
            details.manufacturer,
            details.model,
            details.makeYear,
            `VIN ${details.vin}`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
      )}
      <p data-testid="vehicle-driver">
        Driver:{' '}
        {driver
          ? `${formatDriverName(driver)} (since ${formatDateTime(driver.from)})`
          : 'none assigned'}
      </p>
      <LatestReadings vehicle={live} now={now} />
      <section aria-labelledby="history-heading" className="history">
        <div className="history-header">
          <h2 id="history-heading">History</h2>
          <div className="field inline-field">
            <label htmlFor={rangeId}>Time range</label>
            <select
              id={rangeId}
              value={range.key}
              onChange={(event) => selectRange(event.target.value as TRangeKey)}
            >
              {custom && (
                <option value="custom">Custom: {formatTimeRange(custom.from, custom.to)}</option>
              )}
              {TIME_RANGES.map((r) => (
                <option key={r.key} value={r.key}>
                  {r.label}
                </option>
              ))}
            </select>
          </div>
          <button type="button" className="secondary" onClick={refreshHistory}>
            Refresh history
          </button>
          <HistoryExportButtons vehicleId={vehicleId} from={range.from} to={range.to} />
          <p className="muted history-summary" aria-live="polite">
            {history.data
              ? describeHistory(history.data)
              : history.isError
                ? `Could not load history: ${history.error.message}`
                : 'Loading history…'}
          </p>
        </div>
        <div className="track-panel card">
          <TrackMap track={track} replayTime={replay.time} />
          <ReplayControls replay={replay} />
        </div>
        <div className="charts">
          {CHARTS.map((chart) => (
            <TelemetryChart
              key={chart.field}
              title={chart.title}
              unit={chart.unit}
              color={chart.color}
              times={series.times}
              values={series[chart.field]}
            />
          ))}
        </div>
      </section>
      <VehicleDevices vehicleId={vehicleId} />
    </main>
  )
}
