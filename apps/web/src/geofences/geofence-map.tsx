import * as L from 'leaflet'
import { useEffect, useRef } from 'react'
import { createBaseMap } from '../map/base-map'
import {
  drawGeofences,
  type TGeofence,
  type TGeofenceShape,
  toShapeLayer,
} from '../map/geofence-layers'

const SAVED_COLOR = '#1f5fbf'
const DRAFT_COLOR = '#c2410c'

interface TGeofenceMapProps {
  geofences: readonly TGeofence[]
  /** The geofence being drawn: a circle, or the polygon's points so far. */
  draft: TGeofenceShape | { type: 'points'; points: [number, number][] } | null
  onMapClick: (lat: number, lon: number) => void
}

/** Every geofence of the organization, the one being drawn, and clicks to draw it. */
export function GeofenceMap({ geofences, draft, onMapClick }: TGeofenceMapProps) {
  const containerRef = useRef<HTMLDivElement>(null)
  const layersRef = useRef<{ map: L.Map; saved: L.FeatureGroup; draft: L.LayerGroup } | null>(null)
  const onMapClickRef = useRef(onMapClick)
  onMapClickRef.current = onMapClick
  const hasFitted = useRef(false)

  useEffect(() => {
    const container = containerRef.current
    if (!container) throw new Error('GeofenceMap: the map container is not mounted')
    const map = createBaseMap(container, 'Geofence map')
    map.on('click', (event: L.LeafletMouseEvent) => {
      const { lat, lng } = event.latlng.wrap()
      onMapClickRef.current(Number(lat.toFixed(6)), Number(lng.toFixed(6)))
    })
    layersRef.current = {
      map,
      saved: L.featureGroup().addTo(map),
      draft: L.layerGroup().addTo(map),
    }
    return () => {
      map.remove()
      layersRef.current = null
    }
  }, [])

  useEffect(() => {
    const layers = layersRef.current
    if (!layers) return
    drawGeofences(layers.saved, geofences, { color: SAVED_COLOR, weight: 2, fillOpacity: 0.1 })
    if (!hasFitted.current && geofences.length > 0) {
      hasFitted.current = true
      layers.map.fitBounds(layers.saved.getBounds(), {
        padding: [24, 24],
        maxZoom: 15,
        animate: false,
      })
    }
  }, [geofences])

  useEffect(() => {
    const layers = layersRef.current
    if (!layers) return
    layers.draft.clearLayers()
    if (!draft) return
    const style = { color: DRAFT_COLOR, weight: 2, dashArray: '6 4', fillOpacity: 0.1 }
    if (draft.type === 'points') {
      for (const point of draft.points) {
        layers.draft.addLayer(L.circleMarker(point, { radius: 4, color: DRAFT_COLOR }))
      }
      if (draft.points.length > 1) layers.draft.addLayer(L.polyline(draft.points, style))
      return
    }
    layers.draft.addLayer(toShapeLayer(draft, style))
  }, [draft])

  return <div ref={containerRef} className="geofence-map" data-testid="geofence-map" />
}
