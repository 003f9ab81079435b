import type { RouterOutputs } from '../trpc'
import type { TTrackPoint } from './replay'

export type THistory = RouterOutputs['telemetry']['history']
type THistoryPoint = THistory['points'][number]

/** The columns the charts draw: uPlot wants time in seconds and one array per series. */
export interface TSeries {
  times: number[]
  speed: (number | null)[]
  rpm: (number | null)[]
  fuel: (number | null)[]
  coolantTemp: (number | null)[]
}

export const TIME_RANGES = [
  { key: '1h', label: 'Last hour', ms: 3_600_000 },
  { key: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { key: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { key: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { key: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const

export type TTimeRangeKey = (typeof TIME_RANGES)[number]['key']

/** The [from, to) of a range ending now; `to` is rounded up to the next second. */
export function findTimeWindow(key: TTimeRangeKey, now: number): { from: Date; to: Date } {
  const range = TIME_RANGES.find((r) => r.key === key) ?? TIME_RANGES[0]
  const to = Math.ceil((now + 1) / 1000) * 1000
  return { from: new Date(to - range.ms), to: new Date(to) }
}

/** Splits history points into chart columns. */
export function toSeries(points: readonly THistoryPoint[]): TSeries {
  const series: TSeries = { times: [], speed: [], rpm: [], fuel: [], coolantTemp: [] }
  for (const point of points) {
    series.times.push(point.time.getTime() / 1000)
    series.speed.push(point.speed)
    series.rpm.push(point.rpm)
    series.fuel.push(point.fuel)
    series.coolantTemp.push(point.coolantTemp)
  }
  return series
}

/** The positioned points, in time order, for the track and its replay. */
export function toTrack(points: readonly THistoryPoint[]): TTrackPoint[] {
  const track: TTrackPoint[] = []
  for (const point of points) {
    if (point.lat === null || point.lon === null) continue
    track.push({ time: point.time.getTime(), lat: point.lat, lon: point.lon })
  }
  return track
}

/** `1,234 points` or `2,000 points, averaged per 30 s` for the history summary. */
export function describeHistory(history: Pick<THistory, 'points' | 'bucketSec'>): string {
  const count = `${history.points.length.toLocaleString('en-US')} points`
  if (history.bucketSec === null) return count
  const bucket =
    history.bucketSec >= 3600 && history.bucketSec % 3600 === 0
      ? `${history.bucketSec / 3600} h`
      : history.bucketSec >= 60 && history.bucketSec % 60 === 0
        ? `${history.bucketSec / 60} min`
        : `${history.bucketSec} s`
  return `${count}, averaged per ${bucket}`
}
