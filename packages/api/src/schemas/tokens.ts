import { z } from 'zod'
import { listInput, NO_NUL, NO_NUL_ERROR, optionalText, ZId } from './common.ts'

export const TOKEN_SORTS = ['createdAt', 'title'] as const

const ZTitle = z
  .string()
  .trim()
  .min(1, { error: 'Enter a title' })
  .max(100, { error: 'At most 100 characters' })
  .regex(NO_NUL, NO_NUL_ERROR)

export const ZCreateTokenInput = z.object({ title: ZTitle, description: optionalText(500) })
export type TCreateTokenInput = z.infer<typeof ZCreateTokenInput>

export const ZUpdateTokenInput = z.object({
  id: ZId,
  title: ZTitle.optional(),
  description: optionalText(500),
})
export type TUpdateTokenInput = z.infer<typeof ZUpdateTokenInput>

export const ZListTokensInput = listInput(TOKEN_SORTS, 'createdAt', {
  includeRevoked: z.boolean().default(false),
})
export type TListTokensInput = z.infer<typeof ZListTokensInput>
