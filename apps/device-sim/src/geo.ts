/** Metres on a small local plane around a centre: x east, y north. */
export interface PlanePoint {
  x: number
  y: number
}

export interface LatLon {
  lat: number
  lon: number
}

export const EARTH_RADIUS_M = 6_371_000
const METRES_PER_DEGREE = (Math.PI * EARTH_RADIUS_M) / 180

/**
 * An equirectangular projection around `center`: accurate to well under a metre per kilometre
 * within the few tens of kilometres a simulated city spans.
 */
export function createProjection(center: LatLon) {
  const metresPerDegreeLon = METRES_PER_DEGREE * Math.cos((center.lat * Math.PI) / 180)
  return {
    toLatLon: (p: PlanePoint): LatLon => ({
      lat: center.lat + p.y / METRES_PER_DEGREE,
      lon: center.lon + p.x / metresPerDegreeLon,
    }),
  }
}

export type Projection = ReturnType<typeof createProjection>

/** Great-circle distance (haversine), metres. */
export function measureDistanceM(a: LatLon, b: LatLon): number {
  const toRad = Math.PI / 180
  const dLat = (b.lat - a.lat) * toRad
  const dLon = (b.lon - a.lon) * toRad
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Compass heading of a plane vector: degrees clockwise from north, in [0, 360). */
export function computeHeading(dx: number, dy: number): number {
  const degrees = (Math.atan2(dx, dy) * 180) / Math.PI
  return degrees < 0 ? degrees + 360 : degrees
}

/** Smallest angle between two headings, degrees in [0, 180]. */
export function measureTurn(fromHeading: number, toHeading: number): number {
  const diff = Math.abs(fromHeading - toHeading) % 360
  return diff > 180 ? 360 - diff : diff
}

/** Gentle, repeatable terrain: metres above sea level at a plane point. */
export function computeAltitude(p: PlanePoint, baseM: number): number {
  return (
    baseM + 14 * Math.sin(p.x / 1700) + 9 * Math.cos(p.y / 2300) + 4 * Math.sin((p.x + p.y) / 900)
  )
}
