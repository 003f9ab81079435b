import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { formatAlertKind } from '../alerts/alert-kinds'
import { readFormError } from '../lib/form-errors'
import { formatCount, formatHoursMinutes, formatReading } from '../lib/format'
import { hrefTo, vehicleHref } from '../lib/hash-route'
import { formatDayTitle, TIME_ZONE } from '../lib/local-day'
import { type RouterOutputs, useTRPC } from '../trpc'

type TFleetOverview = RouterOutputs['fleet']['overview']

/** The vehicles ranked by distance. */
const TOP_COUNT = 5
/**
 * How often the day's figures are asked for again. Alerts refresh them at once (`alerts.live`);
 * distance and time come from activity buckets the server brings up to date on each call.
 */
const REFRESH_MS = 60_000

const formatKm = (value: number) => formatReading(value, 'km', 1)

/** The fleet's day so far (`day` in the browser's time zone): distance, time, trips, alerts. */
export function TodaySummary({ day, vehicleCount }: { day: string; vehicleCount: number }) {
  const trpc = useTRPC()
  const overview = useQuery({
    ...trpc.fleet.overview.queryOptions({ day, timeZone: TIME_ZONE, topCount: TOP_COUNT }),
    refetchInterval: REFRESH_MS,
    // At midnight the next day's figures replace the last ones without a blank in between.
    placeholderData: keepPreviousData,
  })
  const data = overview.data
  return (
    <section aria-labelledby="today-heading" className="overview-section">
      <div className="overview-heading">
        <h2 id="today-heading">Today</h2>
        <span className="muted">
          {formatDayTitle(data?.day ?? day)} ({TIME_ZONE})
        </span>
      </div>
      {overview.error && (
        <p role="alert">Could not load today’s figures: {readFormError(overview.error)}</p>
      )}
      {!data && overview.isPending && <p aria-busy="true">Loading…</p>}
      {data && (
        <>
          <dl className="stat-tiles">
            <Stat label="Distance" value={formatKm(data.distanceKm)} />
            <Stat label="Driving time" value={formatHoursMinutes(data.drivingSec)} />
            <Stat label="Trips" value={formatCount(data.tripCount)} />
            <Stat label="Alerts" value={formatCount(data.alertCount)}>
              <AlertKinds counts={data.alertCounts} />
            </Stat>
            <Stat
              label="Vehicles reporting"
              value={`${formatCount(data.reportingVehicleCount)} of ${formatCount(vehicleCount)}`}
            />
          </dl>
          {!data.isUpToDate && (
            <p role="status" className="muted">
              Recent data is still being summarized: these figures will grow.
            </p>
          )}
          <TopVehicles vehicles={data.topVehicles} />
          <p>
            <a href={hrefTo('reports')}>Reports by day and vehicle</a> ·{' '}
            <a href={hrefTo('alerts')}>All alerts</a>
          </p>
        </>
      )}
    </section>
  )
}

function Stat(props: { label: string; value: string; children?: ReactNode }) {
  return (
    <div className="stat-tile">
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
      {props.children}
    </div>
  )
}

/** "2 Overspeed, 1 Idle": the day's alerts by kind, most frequent first. */
function AlertKinds({ counts }: { counts: TFleetOverview['alertCounts'] }) {
  const kinds = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1])
  if (kinds.length === 0) return null
  return (
    <dd className="stat-detail">
      {kinds.map(([kind, count]) => `${formatCount(count)} ${formatAlertKind(kind)}`).join(', ')}
    </dd>
  )
}

/** The vehicles that drove farthest today, each with a bar of its share of the longest. */
function TopVehicles({ vehicles }: { vehicles: TFleetOverview['topVehicles'] }) {
  const longest = vehicles[0]?.distanceKm ?? 0
  return (
    <>
      <h3>Farthest today</h3>
      {vehicles.length === 0 ? (
        <p className="muted">No vehicle has moved today.</p>
      ) : (
        <table className="data-table top-vehicles">
          <caption className="visually-hidden">Farthest today</caption>
          <thead>
            <tr>
              <th scope="col">Vehicle</th>
              <th scope="col">Distance</th>
              <th scope="col">Driving time</th>
              <th scope="col">Max speed</th>
            </tr>
          </thead>
          <tbody>
            {vehicles.map((vehicle) => (
              <tr key={vehicle.vehicleId}>
                <th scope="row">
                  <a href={vehicleHref(vehicle.vehicleId)}>{vehicle.vehicleCode}</a>
                </th>
                <td>
                  <span className="distance-cell">
                    <span>{formatKm(vehicle.distanceKm)}</span>
                    <span
                      className="distance-bar"
                      aria-hidden="true"
                      style={{
                        width: `${longest > 0 ? (vehicle.distanceKm / longest) * 100 : 0}%`,
                      }}
                    />
                  </span>
                </td>
                <td>{formatHoursMinutes(vehicle.drivingSec)}</td>
                <td>{formatReading(vehicle.maxSpeed, 'km/h')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
