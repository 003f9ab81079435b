import { deleteRule, listRules } from '@fms/db/queries/rules'
import { ZCreateRuleInput, ZIdInput, ZListRulesInput, ZUpdateRuleInput } from '../schemas/index.ts'
import { mapDbErrors, orNotFound } from '../services/db-errors.ts'
import { createOrgRule, updateOrgRule } from '../services/rules.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

export const rulesRouter = router({
  list: protectedProcedure
    .input(ZListRulesInput)
    .query(({ ctx, input }) => mapDbErrors(listRules(ctx.db, { ...input, orgId: ctx.user.orgId }))),
  create: adminProcedure
    .input(ZCreateRuleInput)
    .mutation(({ ctx, input }) => createOrgRule(ctx, ctx.user.orgId, input)),
  update: adminProcedure
    .input(ZUpdateRuleInput)
    .mutation(({ ctx, input }) => updateOrgRule(ctx, ctx.user.orgId, input)),
  remove: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) =>
      orNotFound(deleteRule(ctx.db, { orgId: ctx.user.orgId, id: input.id }), 'Rule'),
    ),
})
