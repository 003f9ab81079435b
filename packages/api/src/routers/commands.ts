import { ZIdInput, ZListCommandsInput, ZSendCommandInput } from '../schemas/index.ts'
import { cancelOrgCommand, listOrgCommands, sendOrgCommand } from '../services/commands.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

export const commandsRouter = router({
  send: adminProcedure
    .input(ZSendCommandInput)
    .mutation(({ ctx, input }) =>
      sendOrgCommand({ db: ctx.db }, { scope: ctx.scope, userId: ctx.user.id }, input),
    ),
  list: protectedProcedure
    .input(ZListCommandsInput)
    .query(({ ctx, input }) => listOrgCommands({ db: ctx.db }, ctx.scope, input)),
  cancel: adminProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) => cancelOrgCommand({ db: ctx.db }, ctx.user.orgId, input.id)),
})
