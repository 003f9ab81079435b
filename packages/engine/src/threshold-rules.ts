import type { ResolvedRule } from './config.ts'
import {
  type EpisodeLevel,
  type EpisodeSpec,
  type EpisodeState,
  endEpisode,
  stepEpisode,
} from './episode.ts'
import { defineHandler, type RuleHandler } from './handler.ts'
import { isEngineOn } from './points.ts'
import type { RuleKind, RulePoint } from './types.ts'

/** Re-arm margins: an episode ends only once the reading is back past threshold ∓ hysteresis. */
export const HYSTERESIS = { overspeed: 5, high_rpm: 200, low_fuel: 5, overheat: 3 } as const

interface ThresholdSpec {
  read(point: RulePoint, rule: ResolvedRule): { level: EpisodeLevel; reading: number | null }
  episode(rule: ResolvedRule): EpisodeSpec
}

const round = (x: number) => Math.round(x)
const hasEngineSignal = (p: RulePoint) => p.ignition !== null || p.rpm !== null
const seconds = (e: EpisodeState, at: number) => Math.round((at - e.start) / 1000)

function readAbove(value: number | null, threshold: number, hysteresis: number) {
  if (value === null) return { level: 'hold' as const, reading: null }
  const level = value > threshold ? 'on' : value < threshold - hysteresis ? 'off' : 'hold'
  return { level, reading: value } as const
}

function describeAbove(label: string, unit: string, rule: ResolvedRule): EpisodeSpec {
  return {
    pickPeak: Math.max,
    describe: (e, at, isClosed) =>
      `${label}: ${isClosed ? 'max ' : ''}${round(e.peak)} ${unit} over ${rule.threshold} ${unit}` +
      (isClosed ? ` for ${seconds(e, at)} s` : ''),
  }
}

const SPECS: Record<'overspeed' | 'high_rpm' | 'low_fuel' | 'overheat' | 'idle', ThresholdSpec> = {
  overspeed: {
    read: (p, r) => readAbove(p.speed, r.threshold, HYSTERESIS.overspeed),
    episode: (r) => describeAbove('Overspeed', 'km/h', r),
  },
  high_rpm: {
    read: (p, r) => readAbove(p.rpm, r.threshold, HYSTERESIS.high_rpm),
    episode: (r) => describeAbove('High RPM', 'rpm', r),
  },
  overheat: {
    read: (p, r) => readAbove(p.coolantTemp, r.threshold, HYSTERESIS.overheat),
    episode: (r) => describeAbove('Coolant overheating', '°C', r),
  },
  low_fuel: {
    read: (p, r) => {
      if (p.fuel === null) return { level: 'hold', reading: null }
      const level =
        p.fuel < r.threshold ? 'on' : p.fuel > r.threshold + HYSTERESIS.low_fuel ? 'off' : 'hold'
      return { level, reading: p.fuel }
    },
    episode: (r) => ({
      pickPeak: Math.min,
      describe: (e) => `Low fuel: ${round(e.peak)}% (below ${r.threshold}%)`,
    }),
  },
  idle: {
    // Engine on (ignition, or rpm > 0 without an ignition signal) and slower than `threshold`.
    read: (p, r) => {
      const isMoving = p.speed !== null && p.speed >= r.threshold
      if (isMoving || (hasEngineSignal(p) && !isEngineOn(p))) return { level: 'off', reading: null }
      if (!hasEngineSignal(p) || p.speed === null) return { level: 'hold', reading: null }
      return { level: 'on', reading: 0 }
    },
    episode: () => ({
      pickPeak: Math.max,
      measure: (e, at) => seconds(e, at),
      describe: (e, at, isClosed) =>
        `Idling ${isClosed ? 'for' : 'over'} ${Math.round(seconds(e, at) / 60)} min`,
    }),
  },
}

interface ThresholdState {
  episode: EpisodeState | null
}

function createThresholdHandler(kind: keyof typeof SPECS): RuleHandler<unknown> {
  const spec = SPECS[kind]
  return defineHandler<ThresholdState>({
    create: () => ({ episode: null }),
    step(state, { rule, vehicleId, point }) {
      const { level, reading } = spec.read(point, rule)
      const input = { rule, vehicleId, time: point.time, level, reading }
      const out = stepEpisode(state.episode, spec.episode(rule), input)
      return { state: { episode: out.episode }, alerts: out.alerts }
    },
    // Low fuel survives a night without data; the others end with the gap.
    closeOnGap:
      kind === 'low_fuel'
        ? undefined
        : (state, { rule, lastTime, time }) => {
            const out = endEpisode(state.episode, spec.episode(rule), lastTime, time)
            return { state: { episode: out.episode }, alerts: out.alerts }
          },
    listOpen: (state) => (state.episode?.alert ? [state.episode.alert] : []),
  })
}

export const THRESHOLD_HANDLERS: Partial<Record<RuleKind, RuleHandler<unknown>>> = {
  overspeed: createThresholdHandler('overspeed'),
  high_rpm: createThresholdHandler('high_rpm'),
  low_fuel: createThresholdHandler('low_fuel'),
  overheat: createThresholdHandler('overheat'),
  idle: createThresholdHandler('idle'),
}
