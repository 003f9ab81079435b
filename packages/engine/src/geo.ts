import type { Geofence, GeofenceShape, RulePoint } from './types.ts'

export const EARTH_RADIUS_M = 6_371_000

/** Great-circle distance (haversine), metres. */
export function measureDistanceM(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const toRad = Math.PI / 180
  const dLat = (bLat - aLat) * toRad
  const dLon = (bLon - aLon) * toRad
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(aLat * toRad) * Math.cos(bLat * toRad) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Distance between two points in km, or null when either has no position. */
export function measurePointsKm(a: RulePoint, b: RulePoint): number | null {
  if (a.lat === null || a.lon === null || b.lat === null || b.lon === null) return null
  return measureDistanceM(a.lat, a.lon, b.lat, b.lon) / 1000
}

/**
 * Ray casting on the (lon, lat) plane: a point on the ring's edge may fall either side. Fine for
 * fences of city scale; rings crossing the antimeridian are not supported.
 */
export function isInsidePolygon(
  lat: number,
  lon: number,
  ring: readonly [number, number][],
): boolean {
  let inside = false
  let previous = ring.at(-1)
  for (const vertex of ring) {
    if (!previous) break
    const [latI, lonI] = vertex
    const [latJ, lonJ] = previous
    previous = vertex
    const crosses = latI > lat !== latJ > lat
    if (crosses && lon < ((lonJ - lonI) * (lat - latI)) / (latJ - latI) + lonI) inside = !inside
  }
  return inside
}

export function isInsideShape(lat: number, lon: number, shape: GeofenceShape): boolean {
  if (shape.type === 'circle') {
    return measureDistanceM(lat, lon, shape.lat, shape.lon) <= shape.radiusM
  }
  return shape.points.length >= 3 && isInsidePolygon(lat, lon, shape.points)
}

/** Whether `point` lies in `fence`; null when the point has no position. */
export function isInsideGeofence(point: RulePoint, fence: Geofence): boolean | null {
  if (point.lat === null || point.lon === null) return null
  return isInsideShape(point.lat, point.lon, fence.shape)
}
