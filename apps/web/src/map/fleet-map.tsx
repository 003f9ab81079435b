import * as L from 'leaflet'
import { useEffect, useRef } from 'react'
import type { TFleetStore } from '../live/fleet-store'
import { createBaseMap } from './base-map'
import { createCanvasRenderer } from './canvas-renderer'
import { drawGeofences, type TGeofence } from './geofence-layers'
import { VehicleCanvasLayer } from './vehicle-canvas-layer'

const FOCUS_MIN_ZOOM = 14
/** Geofences get their own pane under the overlay pane (400), where the vehicles are drawn. */
const GEOFENCE_PANE = 'geofencePane'
const GEOFENCE_PANE_Z_INDEX = '350'
const GEOFENCE_STYLE: L.PathOptions = {
  color: '#7c3aed',
  weight: 2,
  opacity: 0.8,
  fillOpacity: 0.05,
}

interface TMapLayers {
  map: L.Map
  layer: VehicleCanvasLayer
  geofences: L.FeatureGroup
  geofenceRenderer: L.Renderer
}

interface TFleetMapProps {
  store: TFleetStore
  selectedId: string | null
  onSelect: (vehicleId: string) => void
  /** Changes when the map should pan to the selected vehicle (a pick from the list). */
  focusRequest: number
  /** Outlined under the vehicles; redrawn only when this array changes. */
  geofences: readonly TGeofence[]
  isGeofencesShown: boolean
  /** Only these vehicles are drawn (a group filter); null for all. */
  shownIds: ReadonlySet<string> | null
}

/**
 * The live map. React only mounts it: vehicles are drawn from the store by the canvas layer,
 * which redraws on its own when the store changes. Geofence outlines are Leaflet vectors on
 * their own canvas below it, built once per geofence list.
 */
export function FleetMap(props: TFleetMapProps) {
  const { store, selectedId, onSelect, focusRequest, geofences, isGeofencesShown, shownIds } = props
  const containerRef = useRef<HTMLDivElement>(null)
  const mapRef = useRef<TMapLayers | null>(null)
  const onSelectRef = useRef(onSelect)
  onSelectRef.current = onSelect

  useEffect(() => {
    const container = containerRef.current
    if (!container) throw new Error('FleetMap: the map container is not mounted')
    const map = createBaseMap(container, 'Live map')
    map.createPane(GEOFENCE_PANE).style.zIndex = GEOFENCE_PANE_Z_INDEX
    const geofenceRenderer = createCanvasRenderer({ pane: GEOFENCE_PANE })
    const layer = new VehicleCanvasLayer(store, (id) => onSelectRef.current(id)).addTo(map)
    mapRef.current = { map, layer, geofences: L.featureGroup(), geofenceRenderer }
    const fitOnce = () => {
      const bounds = findFleetBounds(store)
      if (!bounds) return
      map.fitBounds(bounds, { padding: [40, 40], maxZoom: 15, animate: false })
      unsubscribe()
    }
    const unsubscribe = store.subscribe(fitOnce)
    fitOnce()
    // The top bar can grow after the map is made (the admin links arrive): keep the centre.
    const resizeObserver = new ResizeObserver(() => map.invalidateSize({ animate: false }))
    resizeObserver.observe(container)
    return () => {
      resizeObserver.disconnect()
      unsubscribe()
      map.remove()
      mapRef.current = null
    }
  }, [store])

  useEffect(() => {
    mapRef.current?.layer.setSelected(selectedId)
  }, [selectedId])

  useEffect(() => {
    mapRef.current?.layer.setShown(shownIds)
  }, [shownIds])

  useEffect(() => {
    const layers = mapRef.current
    if (!layers) return
    drawGeofences(
      layers.geofences,
      geofences,
      { ...GEOFENCE_STYLE, renderer: layers.geofenceRenderer },
      { sticky: true, className: 'geofence-tooltip' },
    )
  }, [geofences])

  useEffect(() => {
    const layers = mapRef.current
    if (!layers) return
    if (isGeofencesShown) layers.geofences.addTo(layers.map)
    else layers.geofences.remove()
  }, [isGeofencesShown])

  useEffect(() => {
    // How many outlines are on the map, for tests (like the vehicle canvas's `data-drawn`).
    const count = isGeofencesShown ? geofences.length : 0
    containerRef.current?.setAttribute('data-geofences', String(count))
  }, [geofences, isGeofencesShown])

  useEffect(() => {
    if (!focusRequest || !selectedId || !mapRef.current) return
    const vehicle = store.get(selectedId)
    if (vehicle?.lat == null || vehicle.lon == null) return
    const { map } = mapRef.current
    map.setView([vehicle.lat, vehicle.lon], Math.max(map.getZoom(), FOCUS_MIN_ZOOM), {
      animate: false,
    })
  }, [focusRequest, selectedId, store])

  return <div ref={containerRef} className="fleet-map" />
}

function findFleetBounds(store: TFleetStore): L.LatLngBoundsExpression | null {
  let south = 90
  let west = 180
  let north = -90
  let east = -180
  for (const vehicle of store.values()) {
    if (vehicle.lat === null || vehicle.lon === null) continue
    south = Math.min(south, vehicle.lat)
    north = Math.max(north, vehicle.lat)
    west = Math.min(west, vehicle.lon)
    east = Math.max(east, vehicle.lon)
  }
  return south <= north
    ? [
        [south, west],
        [north, east],
      ]
    : null
}
