import { useId } from 'react'
import {
  describeBarChart,
  findAxisTicks,
  findLabelEvery,
  placeBars,
  type TChartBar,
} from './chart-scale'
import './charts.css'

/** The drawing's own units; the SVG scales to its container's width. */
const WIDTH = 560
const HEIGHT = 220
const PLOT = { left: 52, right: 8, top: 10, bottom: 26 }
const PLOT_WIDTH = WIDTH - PLOT.left - PLOT.right
const PLOT_HEIGHT = HEIGHT - PLOT.top - PLOT.bottom
/** Labels under the bars at most (about 50 units each). */
const MAX_LABELS = 10

interface TBarChartProps {
  /** Shown above the chart, with the unit, e.g. "Distance per day (km)". */
  title: string
  bars: readonly TChartBar[]
  /** A value in words for the description and the bars' tooltips, e.g. `12.5 km`. */
  formatValue: (value: number) => string
  /** A tick of the value axis, without the unit (it is in the title). */
  formatTick: (value: number) => string
}

/**
 * A column chart drawn as plain SVG: one bar per entry, a value axis with round ticks. For
 * screen readers it is one image described in words (total, highest bar); the figures
 * themselves are in a table next to it. Labels are React text, never markup.
 */
export function BarChart({ title, bars, formatValue, formatTick }: TBarChartProps) {
  const titleId = useId()
  const ticks = findAxisTicks(Math.max(0, ...bars.map((bar) => bar.value)))
  const axisMax = ticks[ticks.length - 1] ?? 1
  const placed = placeBars({
    values: bars.map((bar) => bar.value),
    axisMax,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
  })
  const labelEvery = findLabelEvery(bars.length, MAX_LABELS)
  const description = describeBarChart({ title, bars, formatValue })

  return (
    <figure className="chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="chart-title">
        {title}
      </figcaption>
      <svg
        role="img"
        aria-label={description}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="chart-svg"
        data-testid="bar-chart"
      >
        <g transform={`translate(${PLOT.left} ${PLOT.top})`}>
          {ticks.map((tick) => {
            const y = PLOT_HEIGHT - (tick / axisMax) * PLOT_HEIGHT
            return (
              <g key={tick} className="chart-grid">
                <line x1={0} x2={PLOT_WIDTH} y1={y} y2={y} />
                <text x={-6} y={y} textAnchor="end" dominantBaseline="middle">
                  {formatTick(tick)}
                </text>
              </g>
            )
          })}
          {bars.map((bar, index) => {
            const geometry = placed[index]
            if (!geometry) return null
            const isLabelled = index % labelEvery === 0
            return (
              <g key={bar.key}>
                <rect
                  className="chart-bar"
                  x={geometry.x}
                  y={geometry.y}
                  width={geometry.width}
                  height={geometry.height}
                >
                  <title>{`${bar.label}: ${formatValue(bar.value)}`}</title>
                </rect>
                {isLabelled && (
                  <text
                    className="chart-label"
                    x={geometry.x + geometry.width / 2}
                    y={PLOT_HEIGHT + 17}
                    textAnchor="middle"
                  >
                    {bar.label}
                  </text>
                )}
              </g>
            )
          })}
        </g>
      </svg>
    </figure>
  )
}
