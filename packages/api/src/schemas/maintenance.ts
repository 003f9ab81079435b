import { z } from 'zod'
import { optionalText, requiredName, ZId } from './common.ts'
import { ZInstant } from './time-range.ts'
import { VEHICLE_TYPES } from './vehicles.ts'

/** An interval or a margin: positive, at most a lifetime (2 million km, 100,000 h, 100 years). */
function interval(max: number, unit: string) {
  return z
    .number()
    .positive({ error: `More than 0 ${unit}` })
    .max(max, { error: `At most ${max} ${unit}` })
    .nullable()
    .optional()
}

const ZScheduleFields = z.object({
  name: requiredName(100),
  /** One vehicle... */
  vehicleId: ZId.nullable().optional(),
  /** ...or every vehicle of this type. */
  vehicleType: z.enum(VEHICLE_TYPES).nullable().optional(),
  everyKm: interval(2_000_000, 'km'),
  everyHours: interval(100_000, 'h'),
  everyDays: interval(36_500, 'days'),
  warnKm: interval(2_000_000, 'km'),
  warnHours: interval(100_000, 'h'),
  warnDays: interval(36_500, 'days'),
  notes: optionalText(1000),
})

type ScheduleShape = z.infer<typeof ZScheduleFields>

/**
 * What is wrong with a whole schedule, if anything: it names exactly one target (a vehicle or a
 * vehicle type) and at least one interval. The create input and an update's result both obey it.
 */
export function findScheduleProblem(value: {
  vehicleId?: string | null | undefined
  vehicleType?: string | null | undefined
  everyKm?: number | null | undefined
  everyHours?: number | null | undefined
  everyDays?: number | null | undefined
}): { field: 'vehicleId' | 'everyKm'; message: string } | null {
  const hasVehicle = value.vehicleId !== undefined && value.vehicleId !== null
  const hasType = value.vehicleType !== undefined && value.vehicleType !== null
  if (hasVehicle === hasType) {
    return { field: 'vehicleId', message: 'Choose a vehicle or a vehicle type (one of them)' }
  }
  if (!value.everyKm && !value.everyHours && !value.everyDays) {
    return { field: 'everyKm', message: 'Give at least one interval: km, engine hours or days' }
  }
  return null
}

function checkSchedule(value: Partial<ScheduleShape>, ctx: z.RefinementCtx) {
  const problem = findScheduleProblem(value)
  if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: [problem.field] })
}

export const ZCreateScheduleInput = ZScheduleFields.superRefine(checkSchedule)
export type TCreateScheduleInput = z.infer<typeof ZCreateScheduleInput>
export const ZUpdateScheduleInput = ZScheduleFields.partial().extend({ id: ZId })
export type TUpdateScheduleInput = z.infer<typeof ZUpdateScheduleInput>

export const DUE_STATUSES = ['ok', 'due_soon', 'overdue'] as const
export const ZListSchedulesInput = z
  .object({ vehicleId: ZId.optional(), status: z.enum(DUE_STATUSES).optional() })
  .prefault({})
export type TListSchedulesInput = z.infer<typeof ZListSchedulesInput>

/** A service done: restarts the schedule's interval (when given) for that vehicle. */
export const ZCompleteServiceInput = z.object({
  vehicleId: ZId,
  scheduleId: ZId.nullable().optional(),
  /** Default: now. */
  performedAt: ZInstant.optional(),
  /** Default: the vehicle's odometer and engine hours now. */
  odometerKm: z.number().min(0).max(100_000_000).nullable().optional(),
  engineHours: z.number().min(0).max(1_000_000).nullable().optional(),
  cost: z.number().min(0).max(100_000_000).nullable().optional(),
  notes: optionalText(2000),
})
export type TCompleteServiceInput = z.infer<typeof ZCompleteServiceInput>

export const ZServiceHistoryInput = z
  .object({
    vehicleId: ZId.optional(),
    from: ZInstant.optional(),
    to: ZInstant.optional(),
    limit: z.number().int().min(1).max(5000).default(500),
  })
  .prefault({})
export type TServiceHistoryInput = z.infer<typeof ZServiceHistoryInput>

export const ZCreatePurchaseInput = z.object({
  vehicleId: ZId,
  time: ZInstant,
  litres: z
    .number()
    .positive({ error: 'More than 0 litres' })
    .max(5000, { error: 'At most 5000 litres' }),
  price: z.number().min(0).max(1_000_000).nullable().optional(),
  station: optionalText(200),
  notes: optionalText(1000),
})
export type TCreatePurchaseInput = z.infer<typeof ZCreatePurchaseInput>

/** Receipts over [from, to) (default: the 31 days to now), each checked against the refuels. */
export const ZListPurchasesInput = z
  .object({
    vehicleId: ZId.optional(),
    from: ZInstant.optional(),
    to: ZInstant.optional(),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .refine((input) => !input.from || !input.to || input.from < input.to, {
    error: 'from must be before to',
    path: ['to'],
  })
  .prefault({})
export type TListPurchasesInput = z.infer<typeof ZListPurchasesInput>
