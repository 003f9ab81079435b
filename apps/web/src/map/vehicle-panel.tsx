import { useEffect, useRef } from 'react'
import { formatDriverName } from '../drivers/driver-score'
import type { TCurrentDriver } from '../drivers/use-current-drivers'
import {
  formatAge,
  formatDateTime,
  formatHeading,
  formatPosition,
  formatReading,
} from '../lib/format'
import { vehicleHref } from '../lib/hash-route'
import type { TFleetVehicle } from '../live/fleet-store'
import { classifyVehicleStatus, STATUS_LABELS } from '../live/vehicle-status'

interface TVehiclePanelProps {
  vehicle: TFleetVehicle
  /** Who drives it now, if anybody is assigned. */
  driver: TCurrentDriver | undefined
  now: number
  onClose: () => void
}

/** The selected vehicle's latest readings, over the map; Escape closes it. */
export function VehiclePanel({ vehicle, driver, now, onClose }: TVehiclePanelProps) {
  const status = classifyVehicleStatus(vehicle, now)
  const closeRef = useRef(onClose)
  closeRef.current = onClose
  useEffect(() => {
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') closeRef.current()
    }
    document.addEventListener('keydown', closeOnEscape)
    return () => document.removeEventListener('keydown', closeOnEscape)
  }, [])
  const headingId = `panel-${vehicle.vehicleId}`
  return (
    <section className="vehicle-panel card" aria-labelledby={headingId}>
      <header className="panel-header">
        <h2 id={headingId}>{vehicle.code}</h2>
        <button type="button" className="icon-button" aria-label="Close panel" onClick={onClose}>
          ×
        </button>
      </header>
      {vehicle.plate && <p className="muted">{vehicle.plate}</p>}
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`status-text status-${status}`}>{STATUS_LABELS[status]}</span>
        </dd>
        <dt>Driver</dt>
        <dd
          data-testid="panel-driver"
          title={driver ? `Since ${formatDateTime(driver.from)}` : undefined}
        >
          {driver ? formatDriverName(driver) : 'None assigned'}
        </dd>
        <dt>Speed</dt>
        <dd>{formatReading(vehicle.speed, 'km/h')}</dd>
        <dt>Heading</dt>
        <dd>{formatHeading(vehicle.heading)}</dd>
        <dt>Position</dt>
        <dd data-testid="panel-position">{formatPosition(vehicle.lat, vehicle.lon)}</dd>
        <dt>RPM</dt>
        <dd>{formatReading(vehicle.rpm, 'rpm')}</dd>
        <dt>Fuel</dt>
        <dd>{formatReading(vehicle.fuel, '%')}</dd>
        <dt>Coolant</dt>
        <dd>{formatReading(vehicle.coolantTemp, '°C')}</dd>
        <dt>Last report</dt>
        <dd title={formatDateTime(vehicle.time)}>{formatAge(vehicle.time, now)}</dd>
      </dl>
      <a className="button-link" href={vehicleHref(vehicle.vehicleId)}>
        Open vehicle page
      </a>
    </section>
  )
}
