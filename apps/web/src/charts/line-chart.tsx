import { useId } from 'react'
import { findAxisTicks, findLabelEvery } from './chart-scale'
import { describeLineChart, formatLinePath, placeLinePoints, type TLinePoint } from './line-scale'
import './charts.css'

const WIDTH = 560
const HEIGHT = 220
const PLOT = { left: 52, right: 8, top: 10, bottom: 26 }
const PLOT_WIDTH = WIDTH - PLOT.left - PLOT.right
const PLOT_HEIGHT = HEIGHT - PLOT.top - PLOT.bottom
/** Labels under the points at most. */
const MAX_LABELS = 10

interface TLineChartProps {
  /** Shown above the chart, e.g. "Score per week". */
  title: string
  points: readonly TLinePoint[]
  /** The axis's top; by default a round value at or above the highest point. */
  axisMax?: number
  formatValue: (value: number) => string
}

/**
 * A line drawn as plain SVG, like BarChart: one marker per point, gaps where a value is missing,
 * a value axis with round ticks. One image described in words; the figures are in a table too.
 */
export function LineChart({ title, points, axisMax, formatValue }: TLineChartProps) {
  const titleId = useId()
  const values = points.map((point) => point.value)
  const ticks = findAxisTicks(axisMax ?? Math.max(0, ...values.map((value) => value ?? 0)))
  const top = ticks[ticks.length - 1] ?? 1
  const placed = placeLinePoints({ values, axisMax: top, width: PLOT_WIDTH, height: PLOT_HEIGHT })
  const labelEvery = findLabelEvery(points.length, MAX_LABELS)

  return (
    <figure className="chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="chart-title">
        {title}
      </figcaption>
      <svg
        role="img"
        aria-label={describeLineChart({ title, points, formatValue })}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="chart-svg"
        data-testid="line-chart"
      >
        <g transform={`translate(${PLOT.left} ${PLOT.top})`}>
          {ticks.map((tick) => {
            const y = PLOT_HEIGHT - (tick / top) * PLOT_HEIGHT
            return (
              <g key={tick} className="chart-grid">
                <line x1={0} x2={PLOT_WIDTH} y1={y} y2={y} />
                <text x={-6} y={y} textAnchor="end" dominantBaseline="middle">
                  {formatValue(tick)}
                </text>
              </g>
            )
          })}
          <path className="chart-line" d={formatLinePath(placed)} />
          {points.map((point, index) => {
            const at = placed[index]
            const x = (index + 0.5) * (points.length > 0 ? PLOT_WIDTH / points.length : 0)
            return (
              <g key={point.key}>
                {at && point.value !== null && (
                  <circle className="chart-point" cx={at.x} cy={at.y} r={4}>
                    <title>{`${point.label}: ${formatValue(point.value)}`}</title>
                  </circle>
                )}
                {index % labelEvery === 0 && (
                  <text className="chart-label" x={x} y={PLOT_HEIGHT + 17} textAnchor="middle">
                    {point.label}
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
