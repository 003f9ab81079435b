import type * as L from 'leaflet'
import { useEffect, useRef } from 'react'
import type { TFleetStore } from '../live/fleet-store'
import { createBaseMap } from './base-map'
import { VehicleCanvasLayer } from './vehicle-canvas-layer'

const FOCUS_MIN_ZOOM = 14

interface TFleetMapProps {
  store: TFleetStore
  selectedId: string | null
  onSelect: (vehicleId: string) => void
  /** Changes when the map should pan to the selected vehicle (a pick from the list). */
  focusRequest: number
}

/**
 * The live map. React only mounts it: vehicles are drawn from the store by the canvas layer,
 * which redraws on its own when the store changes.
 */
export function FleetMap({ store, selectedId, onSelect, focusRequest }: TFleetMapProps) {
  const containerRef = useRef<HTMLDivElement>(null)
  const mapRef = useRef<{ map: L.Map; layer: VehicleCanvasLayer } | null>(null)
  const onSelectRef = useRef(onSelect)
  onSelectRef.current = onSelect

  useEffect(() => {
    const map = createBaseMap(containerRef.current!, 'Live map')
    const layer = new VehicleCanvasLayer(store, (id) => onSelectRef.current(id)).addTo(map)
    mapRef.current = { map, layer }
    const fitOnce = () => {
      const bounds = findFleetBounds(store)
      if (!bounds) return
      map.fitBounds(bounds, { padding: [40, 40], maxZoom: 15, animate: false })
      unsubscribe()
    }
    const unsubscribe = store.subscribe(fitOnce)
    fitOnce()
    return () => {
      unsubscribe()
      map.remove()
      mapRef.current = null
    }
  }, [store])

  useEffect(() => {
    mapRef.current?.layer.setSelected(selectedId)
  }, [selectedId])

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
