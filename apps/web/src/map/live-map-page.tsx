import { useId, useMemo, useState } from 'react'
import { useCurrentDrivers } from '../drivers/use-current-drivers'
import { GroupSelect } from '../groups/group-select'
import { useGroupOptions } from '../groups/use-group-options'
import { formatCount } from '../lib/format'
import { useStoredFlag } from '../lib/stored-flag'
import { useFleetStore } from '../live/live-fleet'
import { useFleetVersion, useNow } from '../live/use-fleet-version'
import { STATUS_LABELS, VEHICLE_STATUS_LIST } from '../live/vehicle-status'
import { FleetMap } from './fleet-map'
import './live-map.css'
import { useAllGeofences } from './use-all-geofences'
import { countByStatus, filterVehicles, type TStatusFilter } from './vehicle-filter'
import { VehicleList } from './vehicle-list'
import { VehiclePanel } from './vehicle-panel'

const GEOFENCES_SHOWN_KEY = 'fms.map.geofences'

/**
 * The operators' main view: every vehicle on the map, a searchable list, the selected one's panel.
 * On a phone (live-map.css) the map takes the screen and the list is a bottom sheet behind
 * "Show list"; picking a vehicle there closes the sheet and opens its panel over the map.
 */
export function LiveMapPage() {
  const store = useFleetStore()
  const version = useFleetVersion(store)
  const now = useNow()
  const [search, setSearch] = useState('')
  const [status, setStatus] = useState<TStatusFilter>('all')
  const [groupId, setGroupId] = useState('')
  const groups = useGroupOptions()
  const [selectedId, setSelectedId] = useState<string | null>(null)
  const [focusRequest, setFocusRequest] = useState(0)
  const [isListOpen, setIsListOpen] = useState(false)
  const listBodyId = useId()
  const searchId = useId()
  const statusId = useId()
  const [isGeofencesShown, setIsGeofencesShown] = useStoredFlag(GEOFENCES_SHOWN_KEY, true)
  const geofences = useAllGeofences(isGeofencesShown)
  const drivers = useCurrentDrivers()

  const all = useMemo(() => store.getSorted(), [store, version])
  // The chosen group's vehicles (from the groups list, which carries each group's vehicle ids);
  // a group gone from the list (removed) shows nothing until another is chosen.
  const groupVehicleIds = useMemo(() => {
    if (!groupId) return null
    const group = groups.items.find((item) => item.id === groupId)
    return new Set(group?.vehicleIds ?? [])
  }, [groupId, groups.items])
  const shown = useMemo(
    () => filterVehicles(all, { search, status, groupVehicleIds }, now),
    [all, search, status, groupVehicleIds, now],
  )
  const counts = useMemo(() => countByStatus(all, now), [all, now])
  const selected = selectedId ? store.get(selectedId) : undefined

  function pickFromList(vehicleId: string) {
    setSelectedId(vehicleId)
    setFocusRequest((n) => n + 1)
    // On a phone the list covers the map: close it to show the vehicle and its panel.
    setIsListOpen(false)
  }

  return (
    <div className="map-page" data-list-open={isListOpen}>
      <aside className="fleet-sidebar" aria-labelledby="fleet-heading">
        <div className="fleet-sheet-head">
          <h1 id="fleet-heading">Fleet</h1>
          <button
            type="button"
            className="fleet-list-toggle secondary"
            aria-expanded={isListOpen}
            aria-controls={listBodyId}
            onClick={() => setIsListOpen((open) => !open)}
          >
            Vehicle list
          </button>
        </div>
        <p className="fleet-counts">
          <span>
            {formatCount(all.length)} {all.length === 1 ? 'vehicle' : 'vehicles'} ·
          </span>{' '}
          {VEHICLE_STATUS_LIST.map((s) => (
            <span key={s} className={`status-text status-${s}`}>
              {formatCount(counts[s])} {STATUS_LABELS[s].toLowerCase()}{' '}
            </span>
          ))}
        </p>
        <div id={listBodyId} className="fleet-sheet-body">
          <div className="field">
            <label htmlFor={searchId}>Search vehicles</label>
            <input
              id={searchId}
              type="search"
              value={search}
              placeholder="Code or plate"
              onChange={(event) => setSearch(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={statusId}>Status</label>
            <select
              id={statusId}
              value={status}
              onChange={(event) => setStatus(event.target.value as TStatusFilter)}
            >
              <option value="all">All statuses</option>
              {VEHICLE_STATUS_LIST.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <GroupSelect value={groupId} onChange={setGroupId} />
          <p className="muted">
            Showing {formatCount(shown.length)} of {formatCount(all.length)}
          </p>
          <VehicleList
            vehicles={shown}
            now={now}
            drivers={drivers}
            selectedId={selectedId}
            onPick={pickFromList}
            emptyText={
              all.length === 0
                ? 'No vehicles yet: add them on the Vehicles page.'
                : 'No vehicles match.'
            }
          />
        </div>
      </aside>
      <div className="map-area">
        <FleetMap
          store={store}
          selectedId={selectedId}
          onSelect={setSelectedId}
          focusRequest={focusRequest}
          geofences={geofences.geofences}
          isGeofencesShown={isGeofencesShown}
          shownIds={groupVehicleIds}
        />
        <MapLayerToggles
          isGeofencesShown={isGeofencesShown}
          onGeofencesShown={setIsGeofencesShown}
          isGeofencesError={geofences.isError}
        />
        {selected && (
          <VehiclePanel
            vehicle={selected}
            driver={drivers.get(selected.vehicleId)}
            now={now}
            onClose={() => setSelectedId(null)}
          />
        )}
        <MapLegend />
      </div>
    </div>
  )
}

function MapLegend() {
  return (
    <ul className="map-legend" aria-label="Legend">
      {VEHICLE_STATUS_LIST.map((s) => (
        <li key={s}>
          <span className={`status-dot status-${s}`} aria-hidden="true" /> {STATUS_LABELS[s]}
        </li>
      ))}
    </ul>
  )
}

function MapLayerToggles(props: {
  isGeofencesShown: boolean
  onGeofencesShown: (isShown: boolean) => void
  isGeofencesError: boolean
}) {
  const geofencesId = useId()
  return (
    <fieldset className="map-layers">
      <legend className="visually-hidden">Map layers</legend>
      <div className="checkbox-field">
        <input
          id={geofencesId}
          type="checkbox"
          checked={props.isGeofencesShown}
          onChange={(event) => props.onGeofencesShown(event.target.checked)}
        />
        <label htmlFor={geofencesId}>Geofences</label>
      </div>
      {props.isGeofencesShown && props.isGeofencesError && (
        <p role="alert" className="field-error">
          Could not load geofences.
        </p>
      )}
    </fieldset>
  )
}
