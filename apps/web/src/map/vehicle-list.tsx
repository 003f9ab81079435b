import { type KeyboardEvent, useEffect, useRef, useState } from 'react'
import { formatDriverName } from '../drivers/driver-score'
import type { TCurrentDriver } from '../drivers/use-current-drivers'
import { formatAge, formatReading } from '../lib/format'
import type { TFleetVehicle } from '../live/fleet-store'
import { classifyVehicleStatus, STATUS_LABELS } from '../live/vehicle-status'
import { findVisibleRows } from './vehicle-filter'

const ROW_HEIGHT = 56

interface TVehicleListProps {
  vehicles: readonly TFleetVehicle[]
  now: number
  /** Who drives each vehicle now, by vehicle id. */
  drivers: ReadonlyMap<string, TCurrentDriver>
  selectedId: string | null
  onPick: (vehicleId: string) => void
  /** What to say when `vehicles` is empty. */
  emptyText: string
}

/**
 * The side list, virtualized: only the rows in view are in the DOM, so thousands of vehicles
 * cost a few dozen elements. Arrow keys, Home and End move between rows.
 */
export function VehicleList(props: TVehicleListProps) {
  const { vehicles, now, drivers, selectedId, onPick, emptyText } = props
  const scrollerRef = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewportHeight, setViewportHeight] = useState(600)
  const [focusIndex, setFocusIndex] = useState<number | null>(null)

  useEffect(() => {
    const scroller = scrollerRef.current
    if (!scroller) throw new Error('VehicleList: the scroller is not mounted')
    const observer = new ResizeObserver(() => setViewportHeight(scroller.clientHeight))
    observer.observe(scroller)
    return () => observer.disconnect()
  }, [])

  useEffect(() => {
    if (focusIndex === null) return
    const row = scrollerRef.current?.querySelector<HTMLButtonElement>(`[data-row="${focusIndex}"]`)
    row?.focus()
  }, [focusIndex])

  const { start, end } = findVisibleRows({
    scrollTop,
    viewportHeight,
    rowHeight: ROW_HEIGHT,
    count: vehicles.length,
  })

  function moveFocus(event: KeyboardEvent<HTMLUListElement>) {
    const current = Number((event.target as HTMLElement).dataset.row ?? -1)
    const next =
      event.key === 'ArrowDown'
        ? current + 1
        : event.key === 'ArrowUp'
          ? current - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? vehicles.length - 1
              : null
    if (next === null || current < 0 || next < 0 || next >= vehicles.length) return
    event.preventDefault()
    // The key event came from a row inside the scroller, so it is mounted.
    const scroller = scrollerRef.current
    if (!scroller) throw new Error('VehicleList: the scroller is not mounted')
    const top = next * ROW_HEIGHT
    if (top < scroller.scrollTop) scroller.scrollTop = top
    else if (top + ROW_HEIGHT > scroller.scrollTop + scroller.clientHeight) {
      scroller.scrollTop = top + ROW_HEIGHT - scroller.clientHeight
    }
    setScrollTop(scroller.scrollTop)
    setFocusIndex(next)
  }

  return (
    <div
      ref={scrollerRef}
      className="vehicle-list"
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
    >
      {vehicles.length === 0 && <p className="muted list-empty">{emptyText}</p>}
      <ul
        aria-label="Vehicles"
        className="vehicle-rows"
        style={{ height: vehicles.length * ROW_HEIGHT }}
        onKeyDown={moveFocus}
      >
        {vehicles.slice(start, end).map((vehicle, offset) => {
          const index = start + offset
          const status = classifyVehicleStatus(vehicle, now)
          const driver = drivers.get(vehicle.vehicleId)
          return (
            <li
              key={vehicle.vehicleId}
              style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
              aria-setsize={vehicles.length}
              aria-posinset={index + 1}
            >
              <button
                type="button"
                data-row={index}
                className="vehicle-row"
                aria-current={vehicle.vehicleId === selectedId ? 'true' : undefined}
                onClick={() => onPick(vehicle.vehicleId)}
              >
                <span className={`status-dot status-${status}`} aria-hidden="true" />
                <span className="vehicle-row-main">
                  <span className="vehicle-code">{vehicle.code}</span>
                  {vehicle.plate && <span className="muted"> {vehicle.plate}</span>}
                  {driver && <span className="vehicle-driver"> · {formatDriverName(driver)}</span>}
                </span>
                <span className="vehicle-row-meta">
                  <span className={`status-text status-${status}`}>{STATUS_LABELS[status]}</span>{' '}
                  <span>{formatReading(vehicle.speed, 'km/h')}</span>{' '}
                  <span className="muted">{formatAge(vehicle.time, now)}</span>
                </span>
              </button>
            </li>
          )
        })}
      </ul>
    </div>
  )
}
