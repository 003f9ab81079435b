import { z } from 'zod'
import { ZAuditCsvInput, ZListAuditInput } from '../schemas/index.ts'
import { buildAuditCsv, listOrgAudit } from '../services/audit.ts'
import { adminProcedure, router } from '../trpc.ts'

const ZAuditEntry = z.object({
  id: z.string(),
  at: z.date(),
  actorType: z.enum(['user', 'api_key', 'anonymous']),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  outcome: z.enum(['ok', 'error']),
  errorCode: z.string().nullable(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  clientIp: z.string().nullable(),
  userAgent: z.string().nullable(),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })).nullable(),
  input: z.unknown(),
})

/** The organization's audit log: admins only; newest first. */
export const auditRouter = router({
  list: adminProcedure
    .input(ZListAuditInput)
    .output(z.object({ items: z.array(ZAuditEntry), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listOrgAudit({ db: ctx.db }, ctx.user.orgId, input)),
  /** The rows matching the filters as CSV (capped; `isTruncated` says when more matched). */
  csv: adminProcedure
    .input(ZAuditCsvInput)
    .query(({ ctx, input }) => buildAuditCsv({ db: ctx.db }, ctx.user.orgId, input)),
})
