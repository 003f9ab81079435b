/** Marker size in CSS pixels: the radius of an idle dot, the half-length of a moving arrow. */
export const MARKER_RADIUS = 6
/** How far (CSS pixels) from a marker a click still picks it. */
export const HIT_RADIUS = 14

const DEG = Math.PI / 180

/**
 * The three corners of an arrow at (x, y) pointing along `heading` (degrees clockwise from
 * north; screen y grows downwards): the tip, then the two back corners.
 */
export function findArrowCorners(
  x: number,
  y: number,
  heading: number,
  size = MARKER_RADIUS,
): [number, number, number, number, number, number] {
  const tip = heading * DEG
  const left = (heading + 140) * DEG
  const right = (heading - 140) * DEG
  const length = size * 1.5
  return [
    x + Math.sin(tip) * length,
    y - Math.cos(tip) * length,
    x + Math.sin(left) * size,
    y - Math.cos(left) * size,
    x + Math.sin(right) * size,
    y - Math.cos(right) * size,
  ]
}

/** Screen positions of drawn markers, kept so clicks can find the marker under them. */
export interface TDrawnMarkers {
  ids: string[]
  xs: Float64Array
  ys: Float64Array
  count: number
}

export function createDrawnMarkers(capacity: number): TDrawnMarkers {
  return { ids: [], xs: new Float64Array(capacity), ys: new Float64Array(capacity), count: 0 }
}

/**
 * The marker nearest to (x, y) within `radius`; on a tie, the one recorded later.
 * A linear scan: about 0.1 ms for 5,000 markers, only on clicks.
 */
export function findMarkerAt(
  drawn: TDrawnMarkers,
  x: number,
  y: number,
  radius = HIT_RADIUS,
): string | null {
  let best: string | null = null
  let bestDistance = radius * radius
  for (let i = 0; i < drawn.count; i++) {
    const markerX = drawn.xs[i]
    const markerY = drawn.ys[i]
    if (markerX === undefined || markerY === undefined) break
    const dx = markerX - x
    const dy = markerY - y
    const distance = dx * dx + dy * dy
    if (distance <= bestDistance) {
      bestDistance = distance
      best = drawn.ids[i] ?? null
    }
  }
  return best
}
