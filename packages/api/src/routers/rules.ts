import { ZCreateRuleInput, ZIdInput, ZListRulesInput, ZUpdateRuleInput } from '../schemas/index.ts'
import { createOrgRule, listOrgRules, removeOrgRule, updateOrgRule } from '../services/rules.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

export const rulesRouter = router({
  list: protectedProcedure
    .input(ZListRulesInput)
    .query(({ ctx, input }) => listOrgRules({ db: ctx.db }, ctx.scope, input)),
  create: adminProcedure
    .input(ZCreateRuleInput)
    .mutation(({ ctx, input }) => createOrgRule({ db: ctx.db }, ctx.user.orgId, input)),
  update: adminProcedure
    .input(ZUpdateRuleInput)
    .mutation(({ ctx, input }) => updateOrgRule({ db: ctx.db }, ctx.user.orgId, input)),
  remove: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) => removeOrgRule({ db: ctx.db }, ctx.user.orgId, input.id)),
})
