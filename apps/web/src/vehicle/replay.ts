/** One position of a track, time in epoch ms, in time order. */
export interface TTrackPoint {
  time: number
  lat: number
  lon: number
}

/** Replay speeds offered, as multiples of real time. */
export const REPLAY_SPEEDS = [1, 10, 60, 300, 1800] as const
export const DEFAULT_REPLAY_SPEED = 60

/**
 * Moves the playhead `elapsedMs` of wall time forward at `speed`× real time, stopping at the end
 * of the track. A playhead already at the end restarts from the beginning (pressing play again).
 */
export function advancePlayhead(params: {
  time: number
  start: number
  end: number
  elapsedMs: number
  speed: number
}): { time: number; isFinished: boolean } {
  const { start, end } = params
  const from = params.time >= end ? start : Math.max(start, params.time)
  const time = Math.min(end, from + Math.max(0, params.elapsedMs) * params.speed)
  return { time, isFinished: time >= end }
}

/** Index of the last point at or before `time` (0 before the first point); binary search. */
export function findPointIndex(track: readonly TTrackPoint[], time: number): number {
  let low = 0
  let high = track.length - 1
  if (high < 0) return -1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    const point = track[mid]
    if (point !== undefined && point.time <= time) low = mid
    else high = mid - 1
  }
  return low
}

/** The position at `time`, interpolated linearly between the points around it. */
export function interpolatePosition(
  track: readonly TTrackPoint[],
  time: number,
): { lat: number; lon: number; index: number } | null {
  const index = findPointIndex(track, time)
  const point = track[index]
  if (!point) return null
  const next = track[index + 1]
  if (!next || time <= point.time) return { lat: point.lat, lon: point.lon, index }
  const ratio = (time - point.time) / (next.time - point.time)
  return {
    lat: point.lat + (next.lat - point.lat) * ratio,
    lon: point.lon + (next.lon - point.lon) * ratio,
    index,
  }
}
