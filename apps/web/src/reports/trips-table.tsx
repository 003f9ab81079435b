import { formatDateTime, formatDuration, formatReading } from '../lib/format'
import type { RouterOutputs } from '../trpc'
import { formatTripLink } from './trip-link'

type TTripRow = RouterOutputs['reports']['trips']['trips'][number]

/** Trips by vehicle and start, each with a link replaying it on the vehicle page. */
export function TripsTable(props: { trips: readonly TTripRow[] | undefined }) {
  return (
    <>
      <table className="data-table">
        <caption className="visually-hidden">Trips</caption>
        <thead>
          <tr>
            <th scope="col">Vehicle and start</th>
            <th scope="col">End</th>
            <th scope="col">Distance</th>
            <th scope="col">Driving</th>
            <th scope="col">Max speed</th>
            <th scope="col">Average speed</th>
            <th scope="col">Replay</th>
          </tr>
        </thead>
        <tbody>
          {props.trips?.map((trip) => (
            <tr key={`${trip.vehicleId}-${trip.start}`}>
              <th scope="row">
                {trip.vehicleCode} {formatDateTime(trip.start)}
              </th>
              <td>{trip.isComplete ? formatDateTime(trip.end) : 'Under way'}</td>
              <td>{formatReading(trip.distanceKm, 'km', 1)}</td>
              <td>{formatDuration(trip.drivingSec * 1000)}</td>
              <td>{formatReading(trip.maxSpeed, 'km/h')}</td>
              <td>{formatReading(trip.avgSpeed, 'km/h')}</td>
              <td>
                <a
                  href={formatTripLink(trip)}
                  aria-label={`Replay trip of ${trip.vehicleCode} from ${formatDateTime(trip.start)}`}
                >
                  Replay
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.trips?.length === 0 && <p className="muted">No trips in this period.</p>}
    </>
  )
}
