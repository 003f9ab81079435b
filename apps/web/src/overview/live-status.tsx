import { useMemo } from 'react'
import { formatCount } from '../lib/format'
import { hrefTo } from '../lib/hash-route'
import { useFleetStore } from '../live/live-fleet'
import { useFleetVersion, useNow } from '../live/use-fleet-version'
import { STATUS_LABELS, VEHICLE_STATUS_LIST } from '../live/vehicle-status'
import { countByStatus } from '../map/vehicle-filter'
import { describeStatusCounts, placeStatusSegments, type TStatusCounts } from './fleet-status'

const BAR_WIDTH = 400
const BAR_HEIGHT = 14

/**
 * How many vehicles are moving, idle and offline now, by the live map's rules and from its live
 * store: the counts follow every live frame (a few times a second at most) and the clock
 * (a vehicle goes offline by time alone).
 */
export function LiveStatus() {
  const store = useFleetStore()
  const version = useFleetVersion(store)
  const now = useNow()
  // `version` changes whenever the store does: the counts follow it.
  const counts = useMemo(() => countByStatus(store.values(), now), [store, version, now])
  return (
    <section aria-labelledby="live-status-heading" className="overview-section">
      <div className="overview-heading">
        <h2 id="live-status-heading">Right now</h2>
        <a href={hrefTo('map')}>Open the live map</a>
      </div>
      <StatusBar counts={counts} />
      <dl className="stat-tiles">
        {VEHICLE_STATUS_LIST.map((status) => (
          <div key={status} className={`stat-tile status-tile-${status}`}>
            <dt>
              <span className={`status-dot status-${status}`} aria-hidden="true" />{' '}
              {STATUS_LABELS[status]}
            </dt>
            <dd>{formatCount(counts[status])}</dd>
          </div>
        ))}
        <div className="stat-tile">
          <dt>Vehicles</dt>
          <dd>{formatCount(store.size)}</dd>
        </div>
      </dl>
    </section>
  )
}

/** The fleet's statuses as one bar split by share; described in words for screen readers. */
function StatusBar({ counts }: { counts: TStatusCounts }) {
  const segments = placeStatusSegments(counts, BAR_WIDTH)
  return (
    <svg
      role="img"
      aria-label={`Fleet status: ${describeStatusCounts(counts)}`}
      className="status-bar"
      viewBox={`0 0 ${BAR_WIDTH} ${BAR_HEIGHT}`}
      preserveAspectRatio="none"
    >
      <rect className="status-bar-track" x={0} y={0} width={BAR_WIDTH} height={BAR_HEIGHT} />
      {segments.map((segment) => (
        <rect
          key={segment.status}
          className={`status-bar-${segment.status}`}
          x={segment.x}
          y={0}
          width={segment.width}
          height={BAR_HEIGHT}
        />
      ))}
    </svg>
  )
}
