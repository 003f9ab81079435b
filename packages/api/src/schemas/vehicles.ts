import { z } from 'zod'
import { listInput, optionalText, ZId } from './common.ts'
import { ZGroupIds } from './groups.ts'

export const VEHICLE_STATUSES = ['active', 'inactive', 'maintenance', 'retired'] as const
export const VEHICLE_TYPES = ['car', 'van', 'truck', 'bus', 'motorcycle', 'other'] as const
export const VEHICLE_SORTS = ['createdAt', 'code', 'vin'] as const
export const MIN_MAKE_YEAR = 1900

/** The latest sane model year: next year's models are sold from mid-year. */
export function maxMakeYear(now = new Date()): number {
  return now.getUTCFullYear() + 1
}

const ZVehicleFields = z.object({
  code: z
    .string()
    .trim()
    .min(1, { error: 'Enter a code' })
    .max(32, { error: 'At most 32 characters' })
    .regex(/^[A-Za-z0-9._-]+$/, { error: 'Letters, digits, dot, dash and underscore only' }),
  vin: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-HJ-NPR-Z0-9]{17}$/, {
      error: 'A VIN is 17 letters and digits (no I, O or Q)',
    }),
  plate: optionalText(20),
  manufacturer: optionalText(64),
  model: optionalText(64),
  makeYear: z
    .number()
    .int({ error: 'Enter a whole year' })
    .min(MIN_MAKE_YEAR, { error: `Not before ${MIN_MAKE_YEAR}` })
    .refine((year) => year <= maxMakeYear(), { error: 'Not after next year' })
    .nullable()
    .optional(),
  status: z.enum(VEHICLE_STATUSES).optional(),
  type: z.enum(VEHICLE_TYPES).optional(),
  color: optionalText(32),
  description: optionalText(1000),
  /** Added to the odometer the vehicle reports (or the distance counted), km. */
  odometerOffsetKm: z.number().min(-10_000_000).max(10_000_000).optional(),
  /** Added to the engine-on hours counted (the hours before tracking began). */
  engineHoursOffset: z.number().min(-1_000_000).max(1_000_000).optional(),
  /** Tank size: fuel percentages become litres. */
  fuelTankLitres: z
    .number()
    .positive({ error: 'More than 0 litres' })
    .max(5000, { error: 'At most 5000 litres' })
    .nullable()
    .optional(),
  /** The vehicle's groups (all of them: the ones left out are left). */
  groupIds: ZGroupIds.optional(),
})

export const ZCreateVehicleInput = ZVehicleFields
export type TCreateVehicleInput = z.infer<typeof ZCreateVehicleInput>

export const ZUpdateVehicleInput = ZVehicleFields.partial().extend({ id: ZId })
export type TUpdateVehicleInput = z.infer<typeof ZUpdateVehicleInput>

export const ZListVehiclesInput = listInput(VEHICLE_SORTS, 'createdAt', {
  /** Only the vehicles of this group. */
  groupId: ZId.optional(),
})
export type TListVehiclesInput = z.infer<typeof ZListVehiclesInput>
