import * as L from 'leaflet'
import { createTextElement } from '../lib/text-element'
import type { RouterOutputs } from '../trpc'

export type TGeofence = RouterOutputs['geofences']['list']['items'][number]
export type TGeofenceShape = TGeofence['shape']

/** A geofence's outline as a Leaflet layer. */
export function toShapeLayer(shape: TGeofenceShape, options: L.PathOptions): L.Path {
  return shape.type === 'circle'
    ? L.circle([shape.lat, shape.lon], { ...options, radius: shape.radiusM })
    : L.polygon(shape.points, options)
}

/**
 * Replaces the group's layers with one outline per geofence, named in a tooltip. Called when
 * the list changes, never per frame: Leaflet redraws the vectors itself on pan and zoom. The
 * name goes in as an element: Leaflet sets a string tooltip as HTML.
 */
export function drawGeofences(
  group: L.LayerGroup,
  geofences: readonly TGeofence[],
  style: L.PathOptions,
  tooltip: L.TooltipOptions = {},
) {
  group.clearLayers()
  for (const geofence of geofences) {
    const name = createTextElement(geofence.name)
    group.addLayer(toShapeLayer(geofence.shape, style).bindTooltip(name, tooltip))
  }
}
