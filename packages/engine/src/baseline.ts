import { isEngineOn } from './points.ts'
import type { BaselineSettings, BaselineSignal, RulePoint } from './types.ts'

/** Speed bands (km/h) the baseline learns separately: [0,10), [10,40), [40,80), [80,∞). */
export const SPEED_BAND_EDGES = [10, 40, 80] as const
export const BASELINE_SIGNALS: readonly BaselineSignal[] = ['coolantTemp', 'rpm']
export const DEFAULT_MIN_SAMPLES = 200
/** Readings further than this from a warm band's mean are not learned (outliers stay outliers). */
export const BASELINE_EXCLUDE_Z = 4
/** Floor on the standard deviation, so a near-constant signal does not turn noise into alarms. */
export const MIN_SD: Record<BaselineSignal, number> = { coolantTemp: 0.5, rpm: 25 }

/** Welford's running statistics. */
export interface BandStats {
  n: number
  mean: number
  m2: number
}

export type Baseline = Record<BaselineSignal, BandStats[]>

export interface BaselineScore {
  signal: BaselineSignal
  band: number
  reading: number
  mean: number
  sd: number
  z: number
}

export function createBaseline(): Baseline {
  const bands = () => Array.from({ length: SPEED_BAND_EDGES.length + 1 }, () => emptyStats())
  return { coolantTemp: bands(), rpm: bands() }
}

function emptyStats(): BandStats {
  return { n: 0, mean: 0, m2: 0 }
}

export function findSpeedBand(speed: number): number {
  const band = SPEED_BAND_EDGES.findIndex((edge) => speed < edge)
  return band === -1 ? SPEED_BAND_EDGES.length : band
}

export function formatSpeedBand(band: number): string {
  const low = band === 0 ? 0 : SPEED_BAND_EDGES[band - 1]
  const high = SPEED_BAND_EDGES[band]
  return high === undefined ? `${low}+ km/h` : `${low}-${high} km/h`
}

export function addSample(stats: BandStats, x: number): BandStats {
  const n = stats.n + 1
  const delta = x - stats.mean
  const mean = stats.mean + delta / n
  return { n, mean, m2: stats.m2 + delta * (x - mean) }
}

export function measureSd(stats: BandStats, signal: BaselineSignal): number {
  const variance = stats.n > 1 ? stats.m2 / (stats.n - 1) : 0
  return Math.max(Math.sqrt(variance), MIN_SD[signal])
}

/** The signals a point can be scored or learned on: engine running, speed and reading known. */
function readSignals(
  point: RulePoint,
): { signal: BaselineSignal; reading: number; band: number }[] {
  if (point.speed === null || !isEngineOn(point)) return []
  const band = findSpeedBand(point.speed)
  const out: { signal: BaselineSignal; reading: number; band: number }[] = []
  for (const signal of BASELINE_SIGNALS) {
    const reading = point[signal]
    if (reading !== null) out.push({ signal, reading, band })
  }
  return out
}

/** z-scores of a point against the warm bands (>= minSamples) of the baseline. */
export function scoreBaseline(
  baseline: Baseline,
  point: RulePoint,
  settings: BaselineSettings = {},
): BaselineScore[] {
  const minSamples = settings.minSamples ?? DEFAULT_MIN_SAMPLES
  const scores: BaselineScore[] = []
  for (const { signal, reading, band } of readSignals(point)) {
    const stats = baseline[signal][band]
    if (!stats || stats.n < minSamples) continue
    const sd = measureSd(stats, signal)
    scores.push({ signal, band, reading, mean: stats.mean, sd, z: (reading - stats.mean) / sd })
  }
  return scores
}

/** Learns a point's readings, except those already scored as far outliers. */
export function learnBaseline(
  baseline: Baseline,
  point: RulePoint,
  scores: readonly BaselineScore[],
): Baseline {
  let next = baseline
  for (const { signal, reading, band } of readSignals(point)) {
    const score = scores.find((s) => s.signal === signal)
    if (score && Math.abs(score.z) > BASELINE_EXCLUDE_Z) continue
    const bands = [...next[signal]]
    bands[band] = addSample(bands[band] ?? emptyStats(), reading)
    next = { ...next, [signal]: bands }
  }
  return next
}
