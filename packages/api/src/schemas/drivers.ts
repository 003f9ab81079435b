import { SCORE_COMPONENTS } from '@fms/engine'
import { z } from 'zod'
import { listInput, optionalText, requiredName, ZId } from './common.ts'
import { instantRange, ZCalendarDate, ZInstant, ZTimeZone } from './time-range.ts'

export const DRIVER_SORTS = ['createdAt', 'name'] as const
/** The longest identifier a device may report (the `driver_id` reading's limit). */
export const DRIVER_IDENTIFIER_MAX = 64
/** The longest span `drivers.assignments` and `reports.drivers` cover at once. */
export const DRIVER_REPORT_MAX_DAYS = 93
export const ASSIGNMENTS_LIMIT_MAX = 1000

const ZDriverFields = z.object({
  name: requiredName(100),
  employeeNumber: optionalText(32),
  phone: z
    .string()
    .trim()
    .max(32, { error: 'At most 32 characters' })
    .regex(/^[+0-9 ()./-]*$/, { error: 'Digits, spaces and + ( ) . / - only' })
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional(),
  licenceNumber: optionalText(32),
  licenceExpiry: ZCalendarDate.nullable().optional(),
  /** As the device reports it: compared exactly (an RFID's hex digits keep their case). */
  identifier: z
    .string()
    .trim()
    .max(DRIVER_IDENTIFIER_MAX, { error: `At most ${DRIVER_IDENTIFIER_MAX} characters` })
    .regex(/^[\x21-\x7e]*$/, { error: 'Printable characters without spaces only' })
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional(),
  note: optionalText(1000),
})

export const ZCreateDriverInput = ZDriverFields
export type TCreateDriverInput = z.infer<typeof ZCreateDriverInput>
export const ZUpdateDriverInput = ZDriverFields.partial().extend({ id: ZId })
export type TUpdateDriverInput = z.infer<typeof ZUpdateDriverInput>
export const ZListDriversInput = listInput(DRIVER_SORTS, 'name')
export type TListDriversInput = z.infer<typeof ZListDriversInput>

/** `from` defaults to now; a future start is refused (plans are not assignments). */
export const ZAssignDriverInput = z.object({
  driverId: ZId,
  vehicleId: ZId,
  from: ZInstant.optional(),
})
export type TAssignDriverInput = z.infer<typeof ZAssignDriverInput>

/** Ends the vehicle's (or the driver's) current stint at `at` (default now). */
export const ZUnassignDriverInput = z
  .object({ driverId: ZId.optional(), vehicleId: ZId.optional(), at: ZInstant.optional() })
  .refine((input) => input.driverId !== undefined || input.vehicleId !== undefined, {
    error: 'Name the driver or the vehicle',
    path: ['vehicleId'],
  })
export type TUnassignDriverInput = z.infer<typeof ZUnassignDriverInput>

export const ZAssignmentsInput = instantRange(
  {
    driverId: ZId.optional(),
    vehicleId: ZId.optional(),
    limit: z.number().int().min(1).max(ASSIGNMENTS_LIMIT_MAX).default(200),
  },
  { maxDays: 366 },
)
export type TAssignmentsInput = z.infer<typeof ZAssignmentsInput>

export const ZScoreWeights = z
  .object(
    Object.fromEntries(
      SCORE_COMPONENTS.map((c) => [c, z.number().min(0).max(1000).optional()]),
    ) as Record<(typeof SCORE_COMPONENTS)[number], z.ZodOptional<z.ZodNumber>>,
  )
  .strict()
export type TScoreWeights = z.infer<typeof ZScoreWeights>

export const ZDriversReportInput = instantRange(
  { driverId: ZId.optional(), timeZone: ZTimeZone.default('UTC') },
  { maxDays: DRIVER_REPORT_MAX_DAYS },
)
export type TDriversReportInput = z.infer<typeof ZDriversReportInput>
