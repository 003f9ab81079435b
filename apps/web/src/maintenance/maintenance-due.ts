import { formatReading } from '../lib/format'
import type { RouterOutputs } from '../trpc'

export type TSchedule = RouterOutputs['maintenance']['list']['items'][number]
export type TVehicleDue = TSchedule['vehicles'][number]
export type TDueStatus = TVehicleDue['status']

/** One line of the due lists: a schedule as it stands for one of its vehicles. */
export interface TDueRow {
  key: string
  schedule: TSchedule
  due: TVehicleDue
}

/** The page's three sections, most urgent first. */
export const DUE_SECTIONS = [
  { status: 'overdue', title: 'Overdue', emptyText: 'Nothing is overdue.' },
  { status: 'due_soon', title: 'Due soon', emptyText: 'Nothing is due soon.' },
  { status: 'ok', title: 'Upcoming', emptyText: 'No schedules yet.' },
] as const satisfies readonly { status: TDueStatus; title: string; emptyText: string }[]

/** Every (schedule, vehicle) pair by status, the soonest due first within each. */
export function groupDueRows(schedules: readonly TSchedule[]): Record<TDueStatus, TDueRow[]> {
  const groups: Record<TDueStatus, TDueRow[]> = { overdue: [], due_soon: [], ok: [] }
  for (const schedule of schedules) {
    for (const due of schedule.vehicles) {
      groups[due.status].push({ key: `${schedule.id}:${due.vehicleId}`, schedule, due })
    }
  }
  for (const rows of Object.values(groups)) rows.sort((a, b) => readUrgency(a) - readUrgency(b))
  return groups
}

/** Smaller is sooner: the smallest share of an interval left (negative: over). */
function readUrgency({ schedule, due }: TDueRow): number {
  const shares = [
    share(due.remainingKm, schedule.everyKm),
    share(due.remainingHours, schedule.everyHours),
    share(due.remainingDays, schedule.everyDays),
  ].filter((value): value is number => value !== null)
  return shares.length > 0 ? Math.min(...shares) : Number.POSITIVE_INFINITY
}

function share(remaining: number | null, every: number | null): number | null {
  return remaining === null || !every ? null : remaining / every
}

const UNITS = {
  km: { unit: 'km', digits: 0 },
  hours: { unit: 'h', digits: 1 },
  days: { unit: 'days', digits: 0 },
} as const

/** `120 km left`, `35 km over`, `1 day left`; an en dash when the schedule has no such interval. */
export function formatRemaining(value: number | null, kind: keyof typeof UNITS): string {
  if (value === null || !Number.isFinite(value)) return '–'
  const { unit, digits } = UNITS[kind]
  const amount = Math.abs(value)
  const rounded = Number(amount.toFixed(digits))
  const shownUnit = kind === 'days' && rounded === 1 ? 'day' : unit
  const text = formatReading(amount, shownUnit, digits)
  if (rounded === 0) return `due now (0 ${shownUnit})`
  return value >= 0 ? `${text} left` : `${text} over`
}

/** `every 10,000 km, 500 h or 365 days`: whichever comes first. */
export function formatIntervals(schedule: {
  everyKm: number | null
  everyHours: number | null
  everyDays: number | null
}): string {
  const parts = [
    schedule.everyKm && formatReading(schedule.everyKm, 'km'),
    schedule.everyHours && formatReading(schedule.everyHours, 'h', 1),
    schedule.everyDays &&
      formatReading(schedule.everyDays, schedule.everyDays === 1 ? 'day' : 'days'),
  ].filter((part): part is string => Boolean(part))
  if (parts.length === 0) return '–'
  const last = parts.pop()
  return `every ${parts.length > 0 ? `${parts.join(', ')} or ${last}` : last}`
}

/** Where the service falls due: `at 15,000 km · at 500.0 h · <date>`, whichever it has. */
export function formatDuePoint(
  due: Pick<TVehicleDue, 'dueKm' | 'dueHours' | 'dueAt'>,
  formatDate: (time: number) => string,
): string {
  const parts = [
    due.dueKm !== null && `at ${formatReading(due.dueKm, 'km')}`,
    due.dueHours !== null && `at ${formatReading(due.dueHours, 'h', 1)}`,
    due.dueAt !== null && formatDate(due.dueAt),
  ].filter((part): part is string => Boolean(part))
  return parts.length > 0 ? parts.join(' · ') : '–'
}
