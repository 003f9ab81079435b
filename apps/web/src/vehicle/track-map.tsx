import * as L from 'leaflet'
import { useEffect, useRef } from 'react'
import { createBaseMap } from '../map/base-map'
import { createCanvasRenderer } from '../map/canvas-renderer'
import { interpolatePosition, type TTrackPoint } from './replay'

const TRACK_COLOR = '#1f5fbf'

/** The vehicle's track on a map with start and end marks and the replay's position. */
export function TrackMap({
  track,
  replayTime,
}: {
  track: readonly TTrackPoint[]
  replayTime: number
}) {
  const containerRef = useRef<HTMLDivElement>(null)
  const layersRef = useRef<{ map: L.Map; track: L.LayerGroup; playhead: L.CircleMarker } | null>(
    null,
  )

  useEffect(() => {
    const container = containerRef.current
    if (!container) throw new Error('TrackMap: the map container is not mounted')
    const map = createBaseMap(container, 'Track map')
    const renderer = createCanvasRenderer()
    const trackGroup = L.layerGroup().addTo(map)
    const playhead = L.circleMarker([0, 0], {
      renderer,
      radius: 8,
      color: '#ffffff',
      weight: 2,
      fillColor: '#c2410c',
      fillOpacity: 1,
    })
    layersRef.current = { map, track: trackGroup, playhead }
    return () => {
      map.remove()
      layersRef.current = null
    }
  }, [])

  useEffect(() => {
    const layers = layersRef.current
    if (!layers) return
    layers.track.clearLayers()
    layers.playhead.remove()
    const first = track[0]
    const last = track.at(-1)
    if (!first || !last) return
    const latLngs = track.map((p): L.LatLngTuple => [p.lat, p.lon])
    const line = L.polyline(latLngs, { color: TRACK_COLOR, weight: 3, opacity: 0.85 })
    layers.track.addLayer(line)
    layers.track.addLayer(mark(first, '#1a7f37'))
    layers.track.addLayer(mark(last, '#b3261e'))
    layers.playhead.setLatLng([first.lat, first.lon]).addTo(layers.map)
    layers.map.fitBounds(line.getBounds(), { padding: [24, 24], maxZoom: 16, animate: false })
  }, [track])

  useEffect(() => {
    const position = interpolatePosition(track, replayTime)
    if (position) layersRef.current?.playhead.setLatLng([position.lat, position.lon])
  }, [track, replayTime])

  return <div ref={containerRef} className="track-map" />
}

function mark(point: TTrackPoint, color: string): L.CircleMarker {
  return L.circleMarker([point.lat, point.lon], {
    radius: 6,
    color: '#ffffff',
    weight: 2,
    fillColor: color,
    fillOpacity: 1,
  })
}
