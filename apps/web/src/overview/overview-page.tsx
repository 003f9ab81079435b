import { formatDateInput } from '../lib/local-day'
import { useFleetStore } from '../live/live-fleet'
import { useFleetVersion, useNow } from '../live/use-fleet-version'
import { LiveStatus } from './live-status'
import './overview-page.css'
import { TodaySummary } from './today-summary'

/**
 * The fleet at a glance: how many vehicles are moving, idle and offline now (live, as on the
 * map), and the day so far in the browser's time zone (distance, driving time, trips, alerts,
 * the vehicles that drove farthest).
 */
export function OverviewPage() {
  const store = useFleetStore()
  useFleetVersion(store)
  // The day turns over at local midnight while the page is open.
  const today = formatDateInput(useNow(30_000))
  return (
    <main className="page">
      <h1>Overview</h1>
      <LiveStatus />
      <TodaySummary day={today} vehicleCount={store.size} />
    </main>
  )
}
