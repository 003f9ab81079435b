import { z } from 'zod'
import {
  ZCreateUserInput,
  ZIdInput,
  ZListUsersInput,
  ZRole,
  ZUpdateUserInput,
} from '../schemas/index.ts'
import { createOrgUser, listOrgUsers, removeOrgUser, updateOrgUser } from '../services/users.ts'
import { adminProcedure, router } from '../trpc.ts'

/** What any user procedure may return: never the password hash. */
const ZPublicUser = z.object({
  id: z.string(),
  orgId: z.string(),
  email: z.string(),
  role: ZRole,
  emailVerifiedAt: z.date().nullable(),
  /** The vehicle groups the user is limited to; null: not limited. */
  groupIds: z.array(z.string()).nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
})

export const usersRouter = router({
  list: adminProcedure
    .input(ZListUsersInput)
    .output(z.object({ items: z.array(ZPublicUser), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listOrgUsers({ db: ctx.db }, ctx.user.orgId, input)),
  create: adminProcedure
    .input(ZCreateUserInput)
    .output(ZPublicUser)
    .mutation(({ ctx, input }) => createOrgUser({ db: ctx.db, email: ctx.email }, ctx.user, input)),
  update: adminProcedure
    .input(ZUpdateUserInput)
    .output(ZPublicUser)
    .mutation(({ ctx, input }) => updateOrgUser({ db: ctx.db }, ctx.user, input)),
  remove: adminProcedure
    .input(ZIdInput)
    .output(ZPublicUser)
    .mutation(({ ctx, input }) => removeOrgUser({ db: ctx.db }, ctx.user, input.id)),
})
