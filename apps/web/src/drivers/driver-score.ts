import type { RouterOutputs } from '../trpc'

export type TScoreWeights = RouterOutputs['drivers']['scoreWeights']
export type TScoreComponent = keyof TScoreWeights
export type TScoreLine = RouterOutputs['reports']['drivers']['drivers'][number]['breakdown'][number]

/**
 * Each score component in words: its name, the unit its measure is counted in, and what a
 * weight means in that unit (points off per one of it). The server's units, written once here.
 */
export const SCORE_COMPONENTS: Record<TScoreComponent, { label: string; unit: string }> = {
  harshAcceleration: { label: 'Harsh acceleration', unit: 'events per 100 km' },
  harshBraking: { label: 'Harsh braking', unit: 'events per 100 km' },
  speeding: { label: 'Speeding', unit: 's over the speed limit per 100 km' },
  idling: { label: 'Idling', unit: '% of engine-on time' },
  longDriving: { label: 'Long driving', unit: 's past 4.5 h without a break per 100 km' },
  nightDriving: { label: 'Night driving', unit: 's between 22:00 and 05:00 per 100 km' },
}

export const SCORE_COMPONENT_NAMES = Object.keys(SCORE_COMPONENTS) as TScoreComponent[]

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })
const WEIGHT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 })

/** A component's measure with its unit: `1.5 events per 100 km`. */
export function formatScoreValue(line: Pick<TScoreLine, 'component' | 'value'>): string {
  const unit = SCORE_COMPONENTS[line.component as TScoreComponent]?.unit ?? ''
  return `${NUMBER.format(line.value)} ${unit}`.trim()
}

/** A weight: points off per one unit of its component's measure. */
export function formatWeight(weight: number): string {
  return WEIGHT.format(weight)
}

/** Points off, never shown as `-0`: `−4.5`, or `0` for none. */
export function formatPenalty(penalty: number): string {
  return penalty > 0 ? `−${NUMBER.format(penalty)}` : '0'
}

/** `87`, or `–` for a driver with no distance (no score). */
export function formatScore(score: number | null): string {
  return score === null ? '–' : String(Math.round(score))
}

/** A driver as the report names it: its name, else `Unknown (identifier)`. */
export function formatDriverName(row: {
  driverName: string | null
  identifier: string | null
}): string {
  if (row.driverName !== null) return row.driverName
  return `Unknown (${row.identifier ?? 'no identifier'})`
}
