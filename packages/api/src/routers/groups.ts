import {
  ZCreateGroupInput,
  ZIdInput,
  ZListGroupsInput,
  ZUpdateGroupInput,
} from '../schemas/index.ts'
import {
  createOrgGroup,
  findVisibleGroup,
  listVisibleGroups,
  removeOrgGroup,
  updateOrgGroup,
} from '../services/groups.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

/** Vehicle groups: admins manage them; a user limited to groups lists only theirs. */
export const groupsRouter = router({
  list: protectedProcedure
    .input(ZListGroupsInput)
    .query(({ ctx, input }) => listVisibleGroups({ db: ctx.db }, ctx.user, input)),
  byId: protectedProcedure
    .input(ZIdInput)
    .query(({ ctx, input }) => findVisibleGroup({ db: ctx.db }, ctx.user, input.id)),
  create: adminProcedure
    .input(ZCreateGroupInput)
    .mutation(({ ctx, input }) => createOrgGroup({ db: ctx.db }, ctx.user.orgId, input)),
  update: adminProcedure
    .input(ZUpdateGroupInput)
    .mutation(({ ctx, input }) => updateOrgGroup({ db: ctx.db }, ctx.user.orgId, input)),
  remove: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) => removeOrgGroup({ db: ctx.db }, ctx.user.orgId, input.id)),
})
