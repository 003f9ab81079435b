import {
  formatAge,
  formatDateTime,
  formatHeading,
  formatPosition,
  formatReading,
} from '../lib/format'
import type { TFleetVehicle } from '../live/fleet-store'
import { classifyVehicleStatus, STATUS_LABELS } from '../live/vehicle-status'

/** The vehicle's latest readings as tiles, updated live from the fleet store. */
export function LatestReadings({
  vehicle,
  now,
}: {
  vehicle: TFleetVehicle | undefined
  now: number
}) {
  const status = vehicle ? classifyVehicleStatus(vehicle, now) : 'offline'
  const readings: [string, string][] = vehicle
    ? [
        ['Speed', formatReading(vehicle.speed, 'km/h')],
        ['RPM', formatReading(vehicle.rpm, 'rpm')],
        ['Fuel', formatReading(vehicle.fuel, '%')],
        ['Coolant temperature', formatReading(vehicle.coolantTemp, '°C')],
        ['Engine load', formatReading(vehicle.engineLoad, '%')],
        ['Odometer', formatReading(vehicle.odometer, 'km')],
        ['Ignition', vehicle.ignition === null ? '–' : vehicle.ignition ? 'On' : 'Off'],
        ['Heading', formatHeading(vehicle.heading)],
        ['Position', formatPosition(vehicle.lat, vehicle.lon)],
      ]
    : []
  return (
    <section aria-labelledby="latest-heading" className="latest">
      <h2 id="latest-heading">
        Latest readings <span className={`badge status-${status}`}>{STATUS_LABELS[status]}</span>
      </h2>
      <p className="muted">
        Last report:{' '}
        {vehicle ? `${formatAge(vehicle.time, now)} (${formatDateTime(vehicle.time)})` : 'never'}
      </p>
      <dl className="reading-tiles">
        {readings.map(([label, value]) => (
          <div key={label} className="reading-tile card">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}
