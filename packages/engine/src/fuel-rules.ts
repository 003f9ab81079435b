import { closeAlert, openAlert } from './alerts.ts'
import type { ResolvedRule } from './config.ts'
import {
  createFuelTrack,
  type FuelEpisode,
  type FuelTrackEvent,
  type FuelTrackState,
  resetFuelTrack,
  stepFuelTrack,
} from './fuel-track.ts'
import { defineHandler, type RuleHandler, type RuleStepInput } from './handler.ts'
import type { AlertEvent, RuleKind } from './types.ts'

/** fuel_drop only watches a vehicle that stays put: below this speed... */
export const FUEL_DROP_MAX_SPEED_KMH = 5
/** ...and whose odometer advanced less than this since the previous point. */
export const FUEL_DROP_MAX_ODOMETER_KM = 0.5

interface FuelRuleState {
  track: FuelTrackState
  alert: AlertEvent | null
}

function isStationary({ point, prev }: RuleStepInput): boolean {
  if (point.speed !== null && point.speed >= FUEL_DROP_MAX_SPEED_KMH) return false
  if (prev?.odometer == null || point.odometer === null) return true
  return point.odometer - prev.odometer < FUEL_DROP_MAX_ODOMETER_KM
}

function describe(kind: 'fuel_drop' | 'refuel', episode: FuelEpisode, isClosed: boolean): string {
  const amount = Math.round(Math.abs(episode.extreme - episode.startFuel) * 10) / 10
  const levels = `${Math.round(episode.startFuel)}% → ${Math.round(episode.extreme)}%`
  const label = kind === 'refuel' ? 'Refuel' : 'Sudden fuel drop (possible theft)'
  return `${label}: ${isClosed ? '' : 'at least '}${amount} points (${levels})`
}

function toAlerts(
  kind: 'fuel_drop' | 'refuel',
  input: { rule: ResolvedRule; vehicleId: string },
  alert: AlertEvent | null,
  events: readonly FuelTrackEvent[],
): { alert: AlertEvent | null; alerts: AlertEvent[] } {
  const alerts: AlertEvent[] = []
  let current = alert
  for (const event of events) {
    const { episode, time } = event
    const value = Math.abs(episode.extreme - episode.startFuel)
    if (event.type === 'open') {
      current = openAlert({
        rule: input.rule,
        vehicleId: input.vehicleId,
        time: episode.start,
        value,
        message: describe(kind, episode, false),
        emittedAt: time,
      })
      alerts.push(current)
    } else if (current) {
      const message = describe(kind, episode, true)
      alerts.push(
        closeAlert(current, { endTime: episode.lastTime, value, message, emittedAt: time }),
      )
      current = null
    }
  }
  return { alert: current, alerts }
}

function createFuelHandler(kind: 'fuel_drop' | 'refuel'): RuleHandler<unknown> {
  return defineHandler<FuelRuleState>({
    create: () => ({ track: createFuelTrack(), alert: null }),
    step(state, input) {
      const { rule, point } = input
      let out: ReturnType<typeof stepFuelTrack> | null = null
      if (kind === 'fuel_drop' && !isStationary(input)) {
        out = resetFuelTrack(state.track, point.time)
      } else if (point.fuel !== null) {
        const direction = kind === 'refuel' ? 1 : -1
        const spec = { direction, threshold: rule.threshold, windowMs: rule.durationMs } as const
        out = stepFuelTrack(state.track, point.time, point.fuel, spec)
      }
      if (!out) return { state, alerts: [] }
      const { alert, alerts } = toAlerts(kind, input, state.alert, out.events)
      return { state: { track: out.state, alert }, alerts }
    },
    listOpen: (state) => (state.alert ? [state.alert] : []),
  })
}

export const FUEL_HANDLERS: Partial<Record<RuleKind, RuleHandler<unknown>>> = {
  fuel_drop: createFuelHandler('fuel_drop'),
  refuel: createFuelHandler('refuel'),
}
