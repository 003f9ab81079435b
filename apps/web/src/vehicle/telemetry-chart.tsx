import { useEffect, useId, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { formatReading } from '../lib/format'

/** Charts with the same key share one cursor: hovering one shows the same moment in all. */
const CURSOR_SYNC_KEY = 'vehicle-history'
const CHART_HEIGHT = 170

interface TTelemetryChartProps {
  title: string
  unit: string
  color: string
  /** Epoch seconds. */
  times: number[]
  values: (number | null)[]
}

/** One reading over time, drawn by uPlot on a canvas; a text summary for assistive tech. */
export function TelemetryChart({ title, unit, color, times, values }: TTelemetryChartProps) {
  const captionId = useId()
  const containerRef = useRef<HTMLDivElement>(null)
  const hasData = values.some((value) => value !== null)

  useEffect(() => {
    const container = containerRef.current
    if (!container || !hasData) return
    const axisColor = getComputedStyle(container).color
    const grid = { stroke: 'rgba(128, 128, 128, 0.2)', width: 1 }
    const plot = new uPlot(
      {
        width: container.clientWidth || 400,
        height: CHART_HEIGHT,
        cursor: { sync: { key: CURSOR_SYNC_KEY } },
        legend: { show: true, live: true },
        scales: { x: { time: true } },
        series: [
          {},
          {
            label: title,
            stroke: color,
            width: 1.5,
            fill: `${color}22`,
            value: (_plot, value) => formatReading(value, unit),
          },
        ],
        axes: [
          { stroke: axisColor, grid },
          { stroke: axisColor, grid, size: 56 },
        ],
      },
      [times, values],
      container,
    )
    const observer = new ResizeObserver(() =>
      plot.setSize({ width: container.clientWidth, height: CHART_HEIGHT }),
    )
    observer.observe(container)
    return () => {
      observer.disconnect()
      plot.destroy()
    }
  }, [times, values, title, unit, color, hasData])

  return (
    <figure className="chart card" aria-labelledby={captionId}>
      <figcaption id={captionId}>
        {title} ({unit})
      </figcaption>
      {hasData ? (
        <div
          ref={containerRef}
          className="chart-canvas"
          role="img"
          aria-label={summarize(title, unit, values)}
        />
      ) : (
        <p className="muted chart-empty">No {title.toLowerCase()} readings in this range.</p>
      )}
    </figure>
  )
}

function summarize(title: string, unit: string, values: (number | null)[]): string {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  let sum = 0
  let count = 0
  for (const value of values) {
    if (value === null) continue
    min = Math.min(min, value)
    max = Math.max(max, value)
    sum += value
    count += 1
  }
  if (count === 0) return `${title}: no readings`
  return `${title} chart: ${count} readings, from ${formatReading(min, unit)} to ${formatReading(max, unit)}, average ${formatReading(sum / count, unit)}`
}
