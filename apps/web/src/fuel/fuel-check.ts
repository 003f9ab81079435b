import type { TLinePoint } from '../charts/line-scale'
import { formatReading } from '../lib/format'
import { formatDayLabel } from '../lib/local-day'
import type { RouterOutputs } from '../trpc'

export type TPurchase = RouterOutputs['fuel']['list']['items'][number]
type TDayTotals = RouterOutputs['reports']['daily']['dayTotals'][number]

const litres = (value: number | null) =>
  formatReading(value, 'L', value !== null && value % 1 ? 1 : 0)

/** The receipt's check against the tank level, in words. */
export function describePurchaseCheck(
  purchase: Pick<TPurchase, 'check' | 'litres' | 'refuelLitres'>,
): string {
  switch (purchase.check) {
    case 'matched':
      return `Matched: ${litres(purchase.refuelLitres)} refuel detected`
    case 'no_refuel':
      return 'No refuel detected'
    case 'refuel_smaller':
      return `Refuel much smaller: ${litres(purchase.refuelLitres)} of ${litres(purchase.litres)}`
    case 'no_fuel_data':
      return 'Not checked: the vehicle reports no fuel level'
    case 'no_tank_size':
      return 'Not checked: set a tank size on the vehicle'
  }
}

/**
 * Litres used per day over the fleet, one point per day (a gap where no vehicle with a tank
 * size reported); null when no vehicle has a tank size (the server then sends no litres).
 */
export function listFuelPoints(days: readonly TDayTotals[]): TLinePoint[] | null {
  if (!days.some((day) => 'fuelUsedL' in day)) return null
  return days.map((day) => ({
    key: day.date,
    label: formatDayLabel(day.date),
    value: 'fuelUsedL' in day ? (day.fuelUsedL ?? null) : null,
  }))
}
