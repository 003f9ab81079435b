/** Steps an axis may take, times a power of ten: 1, 2, 2.5, 5. */
const NICE_STEPS = [1, 2, 2.5, 5, 10] as const

/**
 * The ticks of a value axis from 0 up to at least `max`, about `targetCount` steps of a round
 * size (1, 2, 2.5 or 5 times a power of ten). With nothing to show (`max` 0 or less, or not a
 * number), the axis runs from 0 to 1.
 */
export function findAxisTicks(max: number, targetCount = 4): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0, 1]
  const rawStep = max / Math.max(1, targetCount)
  const magnitude = 10 ** Math.floor(Math.log10(rawStep))
  const factor = NICE_STEPS.find((step) => step * magnitude >= rawStep) ?? 10
  const step = factor * magnitude
  const ticks = [0]
  for (let top = 0, i = 1; top < max; i++) {
    // toPrecision: 0.1 * 3 is 0.30000000000000004.
    top = Number((i * step).toPrecision(12))
    ticks.push(top)
  }
  return ticks
}

/** Label every n-th bar so that at most `maxLabels` labels show (every bar when they fit). */
export function findLabelEvery(count: number, maxLabels: number): number {
  return Math.max(1, Math.ceil(count / Math.max(1, maxLabels)))
}

export interface TBarGeometry {
  x: number
  y: number
  width: number
  height: number
}

/**
 * Where each bar goes in a plot `width` x `height` (origin top left) whose axis runs to
 * `axisMax`: equal slots, bars a `fill` share of their slot, growing up from the bottom.
 * Negative and missing values draw as nothing.
 */
export function placeBars(params: {
  values: readonly number[]
  axisMax: number
  width: number
  height: number
  fill?: number
}): TBarGeometry[] {
  const { values, axisMax, width, height } = params
  const slot = values.length > 0 ? width / values.length : 0
  const barWidth = slot * (params.fill ?? 0.7)
  return values.map((value, index) => {
    const share =
      axisMax > 0 && Number.isFinite(value) ? Math.min(1, Math.max(0, value / axisMax)) : 0
    const barHeight = share * height
    return {
      x: index * slot + (slot - barWidth) / 2,
      y: height - barHeight,
      width: barWidth,
      height: barHeight,
    }
  })
}

export interface TChartBar {
  /** Unique among the chart's bars (e.g. the date). */
  key: string
  /** Under the bar and in its description, e.g. `2 Nov`. */
  label: string
  value: number
}

/**
 * What a bar chart shows, in words, for screen readers (its `aria-label`): the title, the range
 * of bars, the total and the highest bar, e.g. "Distance per day, 1 Nov to 7 Nov: 42.0 km in
 * total, most on 3 Nov (20.5 km)".
 */
export function describeBarChart(params: {
  title: string
  bars: readonly TChartBar[]
  formatValue: (value: number) => string
}): string {
  const { title, bars, formatValue } = params
  const first = bars[0]
  const last = bars[bars.length - 1]
  if (!first || !last) return `${title}: no data`
  const range = first === last ? first.label : `${first.label} to ${last.label}`
  let highest = first
  let total = 0
  for (const bar of bars) {
    total += bar.value
    if (bar.value > highest.value) highest = bar
  }
  if (highest.value <= 0) return `${title}, ${range}: none`
  if (bars.length === 1) return `${title}, ${range}: ${formatValue(total)}`
  return `${title}, ${range}: ${formatValue(total)} in total, most on ${highest.label} (${formatValue(highest.value)})`
}
