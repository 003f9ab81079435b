import { closeAlert, openAlert } from './alerts.ts'
import type { ResolvedRule } from './config.ts'
import type { AlertEvent } from './types.ts'

/** An open episode of a threshold-like rule. */
export interface EpisodeState {
  start: number
  lastTime: number
  peak: number
  alert: AlertEvent | null
}

/** Where a point puts the episode: condition met, cleared, or in the hysteresis band / unknown. */
export type EpisodeLevel = 'on' | 'off' | 'hold'

export interface EpisodeSpec {
  /** Keeps the more extreme of two readings (max for "above" rules, min for "below"). */
  pickPeak(a: number, b: number): number
  /** The alert's value at time `at` (the peak by default). */
  measure?(episode: EpisodeState, at: number): number
  describe(episode: EpisodeState, at: number, isClosed: boolean): string
}

export interface EpisodeStepInput {
  rule: ResolvedRule
  vehicleId: string
  time: number
  level: EpisodeLevel
  reading: number | null
  subject?: string | null
}

export interface EpisodeOutput {
  episode: EpisodeState | null
  alerts: AlertEvent[]
}

function valueAt(spec: EpisodeSpec, episode: EpisodeState, at: number): number {
  return spec.measure ? spec.measure(episode, at) : episode.peak
}

/**
 * Ends an episode at `endTime`. Emits the closing version only if the episode had alerted; a
 * shorter episode ends silently.
 */
export function endEpisode(
  episode: EpisodeState | null,
  spec: EpisodeSpec,
  endTime: number,
  emittedAt: number,
): EpisodeOutput {
  if (!episode?.alert) return { episode: null, alerts: [] }
  const alert = closeAlert(episode.alert, {
    endTime,
    value: valueAt(spec, episode, endTime),
    message: spec.describe(episode, endTime, true),
    emittedAt,
  })
  return { episode: null, alerts: [alert] }
}

/**
 * One point of a threshold episode: starts on the first 'on' point, alerts (once) on an 'on' point
 * at least `durationMs` after the start, stays open through 'hold', ends on 'off'.
 */
export function stepEpisode(
  episode: EpisodeState | null,
  spec: EpisodeSpec,
  input: EpisodeStepInput,
): EpisodeOutput {
  const { time, level, reading, rule } = input
  if (level === 'off') return endEpisode(episode, spec, time, time)
  if (level === 'hold' || reading === null) {
    return { episode: episode && { ...episode, lastTime: time }, alerts: [] }
  }
  const next: EpisodeState = episode
    ? { ...episode, lastTime: time, peak: spec.pickPeak(episode.peak, reading) }
    : { start: time, lastTime: time, peak: reading, alert: null }
  if (next.alert || time - next.start < rule.durationMs) return { episode: next, alerts: [] }
  const alert = openAlert({
    rule,
    vehicleId: input.vehicleId,
    time: next.start,
    value: valueAt(spec, next, time),
    message: spec.describe(next, time, false),
    emittedAt: time,
    subject: input.subject ?? null,
  })
  return { episode: { ...next, alert }, alerts: [alert] }
}
