import { closeAlert, openAlert } from './alerts.ts'
import { isInsideGeofence } from './geo.ts'
import { defineHandler, type RuleHandler } from './handler.ts'
import type { AlertEvent, RuleKind } from './types.ts'

/** Harsh events compare consecutive points at most this far apart. */
export const HARSH_MAX_GAP_MS = 5000

interface HarshEpisode {
  sign: 1 | -1
  peak: number
  lastTime: number
  alert: AlertEvent
}

const describeHarsh = (peak: number) =>
  `Harsh ${peak < 0 ? 'braking' : 'acceleration'}: ${Math.round(Math.abs(peak) * 10) / 10} km/h/s`

function endHarsh(episode: HarshEpisode | null, emittedAt: number): AlertEvent[] {
  if (!episode) return []
  const { peak, lastTime } = episode
  const input = { endTime: lastTime, value: peak, message: describeHarsh(peak), emittedAt }
  return [closeAlert(episode.alert, input)]
}

/**
 * harsh: |Δspeed / Δt| above `threshold` km/h/s between consecutive points ≤ 5 s apart. Consecutive
 * harsh pairs of the same sign are one episode (value: the signed peak), starting at the first
 * pair's earlier point. Reported speeds only: speeds derived from 1 Hz positions differ by GPS
 * jitter (a few metres a second is over 10 km/h), which is no acceleration.
 */
const harshHandler = defineHandler<{ episode: HarshEpisode | null }>({
  create: () => ({ episode: null }),
  step(state, { rule, vehicleId, point, prev, reportedSpeed, prevReportedSpeed }) {
    const dt = prev ? point.time - prev.time : 0
    const prevSpeed = prevReportedSpeed
    const speed = reportedSpeed
    const hasPair = prevSpeed !== null && speed !== null && dt > 0 && dt <= HARSH_MAX_GAP_MS
    const accel = hasPair ? (speed - prevSpeed) / (dt / 1000) : 0
    const episode = state.episode
    // `hasPair` implies a previous point; `!prev` only tells the type so.
    if (!prev || !hasPair || Math.abs(accel) <= rule.threshold) {
      return { state: { episode: null }, alerts: endHarsh(episode, point.time) }
    }
    const sign = accel < 0 ? -1 : 1
    if (episode && episode.sign === sign) {
      const peak = Math.abs(accel) > Math.abs(episode.peak) ? accel : episode.peak
      return { state: { episode: { ...episode, peak, lastTime: point.time } }, alerts: [] }
    }
    const message = describeHarsh(accel)
    const alert = openAlert({
      rule,
      vehicleId,
      time: prev.time,
      value: accel,
      message,
      emittedAt: point.time,
    })
    const next = { sign, peak: accel, lastTime: point.time, alert } as const
    return { state: { episode: next }, alerts: [...endHarsh(episode, point.time), alert] }
  },
  closeOnGap: (state, { time }) => ({
    state: { episode: null },
    alerts: endHarsh(state.episode, time),
  }),
  listOpen: (state) => (state.episode ? [state.episode.alert] : []),
})

/**
 * geofence_enter / geofence_exit: a transition between two positioned points. The first position
 * only sets where the vehicle is (no alert); points without a position change nothing.
 */
function createGeofenceHandler(kind: 'geofence_enter' | 'geofence_exit'): RuleHandler<unknown> {
  return defineHandler<{ inside: Record<string, boolean> }>({
    create: () => ({ inside: {} }),
    step(state, { rule, vehicleId, point, geofences }) {
      const alerts: AlertEvent[] = []
      let inside = state.inside
      for (const fence of geofences) {
        if (rule.geofenceId !== null && fence.id !== rule.geofenceId) continue
        const isInside = isInsideGeofence(point, fence)
        if (isInside === null) continue
        const was = inside[fence.id]
        if (was === isInside) continue
        inside = { ...inside, [fence.id]: isInside }
        if (was === undefined || isInside !== (kind === 'geofence_enter')) continue
        const name = fence.name ?? fence.id
        const message = `${isInside ? 'Entered' : 'Left'} geofence ${name}`
        const time = point.time
        const open = openAlert({
          rule,
          vehicleId,
          time,
          value: null,
          message,
          emittedAt: time,
          subject: fence.id,
        })
        alerts.push(closeAlert(open, { endTime: time, value: null, message, emittedAt: time }))
      }
      return { state: { inside }, alerts }
    },
    listOpen: () => [],
  })
}

export const MOTION_HANDLERS: Partial<Record<RuleKind, RuleHandler<unknown>>> = {
  harsh: harshHandler,
  geofence_enter: createGeofenceHandler('geofence_enter'),
  geofence_exit: createGeofenceHandler('geofence_exit'),
}
