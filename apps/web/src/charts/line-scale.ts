/** One point of a line chart: `value` null is a gap (e.g. a week without a score). */
export interface TLinePoint {
  /** Unique among the chart's points (e.g. the week's date). */
  key: string
  /** Under the point and in the description, e.g. `2 Nov`. */
  label: string
  value: number | null
}

/**
 * Where each point goes in a plot `width` x `height` (origin top left) whose axis runs from 0 to
 * `axisMax`: equal slots, each point centred in its own. Null values give null (drawn as gaps).
 */
export function placeLinePoints(params: {
  values: readonly (number | null)[]
  axisMax: number
  width: number
  height: number
}): ({ x: number; y: number } | null)[] {
  const { values, axisMax, width, height } = params
  const slot = values.length > 0 ? width / values.length : 0
  return values.map((value, index) => {
    if (value === null || !Number.isFinite(value) || axisMax <= 0) return null
    const share = Math.min(1, Math.max(0, value / axisMax))
    return { x: index * slot + slot / 2, y: height - share * height }
  })
}

/** The SVG path through the placed points, broken where one is missing. */
export function formatLinePath(points: readonly ({ x: number; y: number } | null)[]): string {
  let path = ''
  let isDrawing = false
  for (const point of points) {
    if (!point) {
      isDrawing = false
      continue
    }
    path += `${path ? ' ' : ''}${isDrawing ? 'L' : 'M'}${point.x.toFixed(1)} ${point.y.toFixed(1)}`
    isDrawing = true
  }
  return path
}

/**
 * A line chart in words, for screen readers: the title, the range, the first and last values and
 * the lowest, e.g. "Score per week, 2 Feb to 23 Feb: 92 at first, 85 at last, lowest 80 (9 Feb)".
 */
export function describeLineChart(params: {
  title: string
  points: readonly TLinePoint[]
  formatValue: (value: number) => string
}): string {
  const { title, points, formatValue } = params
  const known = points.filter((point): point is TLinePoint & { value: number } => {
    return point.value !== null
  })
  const first = known[0]
  const last = known[known.length - 1]
  if (!first || !last) return `${title}: no data`
  if (first === last) return `${title}, ${first.label}: ${formatValue(first.value)}`
  let lowest = first
  for (const point of known) if (point.value < lowest.value) lowest = point
  return (
    `${title}, ${first.label} to ${last.label}: ${formatValue(first.value)} at first, ` +
    `${formatValue(last.value)} at last, lowest ${formatValue(lowest.value)} (${lowest.label})`
  )
}
