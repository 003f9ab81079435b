import { z } from 'zod'
import { ZId } from './common.ts'

/** Filters of `audit.list` and `audit.csv`: each optional; `to` is exclusive. */
const auditFilters = {
  actorId: ZId.optional(),
  action: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z.]+$/, { error: 'A procedure name' })
    .optional(),
  objectType: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z.]+$/)
    .optional(),
  objectId: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9-]+$/)
    .optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
}

function checkRange(
  input: { from?: Date | undefined; to?: Date | undefined },
  ctx: z.RefinementCtx,
) {
  if (input.from && input.to && input.from >= input.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'Must be after from' })
  }
}

export const ZListAuditInput = z
  .object({
    ...auditFilters,
    cursor: z.string().max(512).optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .superRefine(checkRange)
  .prefault({})
export type TListAuditInput = z.infer<typeof ZListAuditInput>

export const ZAuditCsvInput = z.object(auditFilters).superRefine(checkRange).prefault({})
export type TAuditCsvInput = z.infer<typeof ZAuditCsvInput>
