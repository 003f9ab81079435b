/**
 * Detects fuel level episodes: a rise (refuel) or fall (drop) of at least `threshold` percentage
 * points within `windowMs`. A monotonic deque keeps the window's lowest (rise) or highest (fall)
 * level; the previous sample always stays in it, so a jump across a data gap (refuelling with the
 * tracker asleep) still counts. An episode then grows while the level keeps moving the same way and
 * ends at the first sample more than `windowMs` after its last extension.
 */

export interface FuelTrackSpec {
  direction: 1 | -1
  threshold: number
  windowMs: number
}

export interface FuelEpisode {
  /** Time and level of the window's extreme the episode is measured from. */
  start: number
  startFuel: number
  /** Time and level of the furthest point reached so far. */
  lastTime: number
  extreme: number
}

export interface FuelTrackState {
  /** [time, fuel] samples, monotonic in fuel. */
  window: [number, number][]
  episode: FuelEpisode | null
}

export type FuelTrackEvent =
  | { type: 'open'; episode: FuelEpisode; time: number }
  | { type: 'close'; episode: FuelEpisode; time: number }

/** Bounds the deque on long monotonic runs (deterministic, so every path agrees). */
const MAX_WINDOW = 256

export function createFuelTrack(): FuelTrackState {
  return { window: [], episode: null }
}

/** Ends any episode and forgets the window (the fuel_drop rule does this when the vehicle moves). */
export function resetFuelTrack(
  state: FuelTrackState,
  time: number,
): {
  state: FuelTrackState
  events: FuelTrackEvent[]
} {
  const events: FuelTrackEvent[] = state.episode
    ? [{ type: 'close', episode: state.episode, time }]
    : []
  return { state: createFuelTrack(), events }
}

export function stepFuelTrack(
  state: FuelTrackState,
  time: number,
  fuel: number,
  spec: FuelTrackSpec,
): { state: FuelTrackState; events: FuelTrackEvent[] } {
  const { direction, threshold, windowMs } = spec
  const events: FuelTrackEvent[] = []
  let window = state.window
  const episode = state.episode
  if (episode) {
    if (direction * (fuel - episode.extreme) > 0) {
      return { state: { window, episode: { ...episode, extreme: fuel, lastTime: time } }, events }
    }
    if (time - episode.lastTime <= windowMs) return { state, events }
    events.push({ type: 'close', episode, time })
    window = []
  }
  // Drop samples older than the window, always keeping the newest one.
  let first = 0
  while (window.length - first > 1) {
    const sample = window[first]
    if (sample === undefined) throw new Error(`Fuel window has a hole at ${first}`)
    if (sample[0] < time - windowMs) first++
    else break
  }
  const front = window[first]
  if (front && direction * (fuel - front[1]) >= threshold) {
    const opened = { start: front[0], startFuel: front[1], lastTime: time, extreme: fuel }
    events.push({ type: 'open', episode: opened, time })
    return { state: { window: [], episode: opened }, events }
  }
  // Drop the samples this one supersedes as the window's extreme (the deque stays monotonic).
  let last = window.length
  while (last > first) {
    const sample = window[last - 1]
    if (sample === undefined) throw new Error(`Fuel window has a hole at ${last - 1}`)
    if (direction * (sample[1] - fuel) >= 0) last--
    else break
  }
  const next = window.slice(Math.max(first, last + 1 - MAX_WINDOW), last)
  next.push([time, fuel])
  return { state: { window: next, episode: null }, events }
}

/** Every episode in a sorted sample sequence, the last one possibly still open. */
export function detectFuelEpisodes(
  samples: readonly { time: number; fuel: number }[],
  spec: FuelTrackSpec,
): FuelEpisode[] {
  const episodes: FuelEpisode[] = []
  let state = createFuelTrack()
  for (const sample of samples) {
    const out = stepFuelTrack(state, sample.time, sample.fuel, spec)
    for (const event of out.events) if (event.type === 'close') episodes.push(event.episode)
    state = out.state
  }
  if (state.episode) episodes.push(state.episode)
  return episodes
}
