import { z } from 'zod'
import { ZEmail, ZPassword, ZRole } from './auth.ts'
import { listInput, ZId } from './common.ts'
import { ZUserGroupIds } from './groups.ts'

export const USER_SORTS = ['createdAt', 'email'] as const
export const ZListUsersInput = listInput(USER_SORTS, 'createdAt')
export type TListUsersInput = z.infer<typeof ZListUsersInput>

export const ZCreateUserInput = z.object({
  email: ZEmail,
  password: ZPassword,
  role: ZRole.default('user'),
  /** Limits the user to these vehicle groups (see `ZUserGroupIds`). */
  groupIds: ZUserGroupIds.optional(),
})
export type TCreateUserInput = z.infer<typeof ZCreateUserInput>

export const ZUpdateUserInput = z.object({
  id: ZId,
  role: ZRole.optional(),
  password: ZPassword.optional(),
  groupIds: ZUserGroupIds.optional(),
})
export type TUpdateUserInput = z.infer<typeof ZUpdateUserInput>
