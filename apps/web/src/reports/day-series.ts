import type { TChartBar } from '../charts/chart-scale'
import { formatDayLabel } from '../lib/local-day'
import type { RouterOutputs } from '../trpc'

export type TDayTotals = RouterOutputs['reports']['daily']['dayTotals'][number]

/** The figures the reports page charts per day, each in the unit its chart shows. */
export const DAY_FIGURES = {
  distance: { title: 'Distance per day (km)', read: (day: TDayTotals) => day.distanceKm },
  driving: { title: 'Driving time per day (h)', read: (day: TDayTotals) => day.drivingSec / 3600 },
} as const

export type TDayFigure = keyof typeof DAY_FIGURES

/** One bar per day, labelled `2 Nov`, with the figure's value. */
export function listDayBars(days: readonly TDayTotals[], figure: TDayFigure): TChartBar[] {
  const { read } = DAY_FIGURES[figure]
  return days.map((day) => ({ key: day.date, label: formatDayLabel(day.date), value: read(day) }))
}
