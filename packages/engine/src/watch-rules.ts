import { closeAlert, openAlert } from './alerts.ts'
import { type BaselineScore, formatSpeedBand } from './baseline.ts'
import { type EpisodeSpec, type EpisodeState, endEpisode, stepEpisode } from './episode.ts'
import { defineHandler, type RuleHandler } from './handler.ts'
import type { AlertEvent, BaselineSignal, RuleKind } from './types.ts'

/**
 * offline: no point for `durationSec`. `tick` fires it (once) while the silence lasts; the next
 * point closes it. Folding history, the point after a long gap emits the closed alert directly,
 * so both paths end with the same version. A point that arrives inside the silence but is less
 * than `durationSec` after the previous one retracts a ticked alert.
 */
const offlineHandler = defineHandler<{ alert: AlertEvent | null }>({
  create: () => ({ alert: null }),
  step(state, { rule, vehicleId, point, prev }) {
    const gap = prev ? point.time - prev.time : 0
    if (!prev || gap < rule.durationMs) {
      return { state: { alert: null }, alerts: [], retracted: state.alert ? [state.alert.key] : [] }
    }
    const opened =
      state.alert ??
      openAlert({
        rule,
        vehicleId,
        time: prev.time,
        value: null,
        message: '',
        emittedAt: point.time,
      })
    const message = `No data for ${Math.round(gap / 60_000)} min`
    const input = { endTime: point.time, value: gap / 1000, message, emittedAt: point.time }
    return { state: { alert: null }, alerts: [closeAlert(opened, input)] }
  },
  tick(state, { rule, vehicleId, lastTime, now }) {
    if (state.alert || lastTime === null || now - lastTime < rule.durationMs) {
      return { state, alerts: [] }
    }
    const emittedAt = lastTime + rule.durationMs
    const message = `No data for over ${Math.round(rule.durationMs / 60_000)} min`
    const alert = openAlert({ rule, vehicleId, time: lastTime, value: null, message, emittedAt })
    return { state: { alert }, alerts: [alert] }
  },
  listOpen: (state) => (state.alert ? [state.alert] : []),
})

const SIGNAL_LABELS: Record<BaselineSignal, { label: string; unit: string }> = {
  coolantTemp: { label: 'Coolant temperature', unit: '°C' },
  rpm: { label: 'RPM', unit: 'rpm' },
}

/** Ends an anomaly once |z| is back under threshold - this. */
export const ANOMALY_HYSTERESIS_Z = 1

function describeAnomaly(score: BaselineScore): EpisodeSpec {
  const { label, unit } = SIGNAL_LABELS[score.signal]
  return {
    pickPeak: (a, b) => (Math.abs(b) > Math.abs(a) ? b : a),
    describe: (e: EpisodeState, _at, isClosed) =>
      `${label} ${isClosed ? 'peaked at' : 'at'} ${Math.round(score.mean + e.peak * score.sd)} ${unit}: ` +
      `${Math.round(e.peak * 10) / 10}σ from this vehicle's normal ${Math.round(score.mean)} ${unit} ` +
      `at ${formatSpeedBand(score.band)}`,
  }
}

/**
 * anomaly: a reading more than `threshold` standard deviations from the vehicle's own baseline for
 * its speed band (see baseline.ts). One episode per signal; value = the peak z-score.
 */
const anomalyHandler = defineHandler<{
  episodes: Partial<Record<BaselineSignal, EpisodeState>>
  last: Partial<Record<BaselineSignal, BaselineScore>>
}>({
  create: () => ({ episodes: {}, last: {} }),
  step(state, { rule, vehicleId, point, scores }) {
    const alerts: AlertEvent[] = []
    const episodes = { ...state.episodes }
    const last = { ...state.last }
    for (const score of scores) {
      const absZ = Math.abs(score.z)
      const level =
        absZ > rule.threshold ? 'on' : absZ < rule.threshold - ANOMALY_HYSTERESIS_Z ? 'off' : 'hold'
      const episodeScore =
        level === 'on' && !episodes[score.signal] ? score : (last[score.signal] ?? score)
      const input = {
        rule,
        vehicleId,
        time: point.time,
        level,
        reading: score.z,
        subject: score.signal,
      } as const
      const out = stepEpisode(episodes[score.signal] ?? null, describeAnomaly(episodeScore), input)
      alerts.push(...out.alerts)
      if (out.episode) {
        episodes[score.signal] = out.episode
        last[score.signal] = episodeScore
      } else {
        delete episodes[score.signal]
        delete last[score.signal]
      }
    }
    return { state: { episodes, last }, alerts }
  },
  closeOnGap(state, { lastTime, time }) {
    const alerts: AlertEvent[] = []
    for (const [signal, episode] of Object.entries(state.episodes)) {
      const score = state.last[signal as BaselineSignal]
      if (score) alerts.push(...endEpisode(episode, describeAnomaly(score), lastTime, time).alerts)
    }
    return { state: { episodes: {}, last: {} }, alerts }
  },
  listOpen: (state) => Object.values(state.episodes).flatMap((e) => (e.alert ? [e.alert] : [])),
})

export const WATCH_HANDLERS: Partial<Record<RuleKind, RuleHandler<unknown>>> = {
  offline: offlineHandler,
  anomaly: anomalyHandler,
}
