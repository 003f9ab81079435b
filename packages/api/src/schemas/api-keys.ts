import { z } from 'zod'
import { listInput, requiredName } from './common.ts'
import { ZInstant } from './time-range.ts'

export const API_KEY_SCOPES = ['read', 'write'] as const
export const API_KEY_SORTS = ['createdAt', 'name'] as const
/** An expiry further out than this is refused: a key meant to last forever says so (no expiry). */
export const API_KEY_MAX_DAYS = 3650

export const ZApiKeyScope = z.enum(API_KEY_SCOPES, { error: 'Scope is read or write' })

export const ZCreateApiKeyInput = z.object({
  name: requiredName(100),
  scope: ZApiKeyScope,
  /** When the key stops working; left out or null: never. */
  expiresAt: ZInstant.nullable()
    .optional()
    .refine((at) => at == null || at.getTime() > Date.now(), { error: 'Must be in the future' })
    .refine((at) => at == null || at.getTime() < Date.now() + API_KEY_MAX_DAYS * 86_400_000, {
      error: `At most ${API_KEY_MAX_DAYS} days ahead`,
    }),
})
export type TCreateApiKeyInput = z.infer<typeof ZCreateApiKeyInput>

export const ZListApiKeysInput = listInput(API_KEY_SORTS, 'createdAt', {
  includeRevoked: z.boolean().default(false),
})
export type TListApiKeysInput = z.infer<typeof ZListApiKeysInput>
