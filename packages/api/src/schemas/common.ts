import { z } from 'zod'

export const ZId = z.uuid({ error: 'Must be a valid id' })

/** PostgreSQL text can't hold NUL; refuse it as bad input instead of failing in the database. */
export const NO_NUL = /^[^\0]*$/
export const NO_NUL_ERROR = { error: 'Must not contain NUL characters' }
export const ZIdInput = z.object({ id: ZId })
export type TIdInput = z.infer<typeof ZIdInput>

/** Optional text that may be cleared with null; blank strings count as null. */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max, { error: `At most ${max} characters` })
    .regex(NO_NUL, NO_NUL_ERROR)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional()
}

/** A required name: trimmed, 1 to `max` characters, no NUL. */
export function requiredName(max = 100) {
  return z
    .string()
    .trim()
    .min(1, { error: 'Enter a name' })
    .max(max, { error: `At most ${max} characters` })
    .regex(NO_NUL, NO_NUL_ERROR)
}

export const SORT_ORDERS = ['asc', 'desc'] as const
export const PAGE_LIMIT_DEFAULT = 25
export const PAGE_LIMIT_MAX = 100

/**
 * List input shared by every list endpoint: search, sort, order, cursor pagination, plus the
 * endpoint's own filters (`extra`, each optional or defaulted). The whole input may be left out:
 * `list()` is `list({})`, with every default applied.
 */
export function listInput<
  const TSort extends readonly [string, ...string[]],
  TExtra extends z.ZodRawShape = Record<never, never>,
>(sorts: TSort, defaultSort: TSort[number], extra?: TExtra) {
  return (
    z
      .object({
        search: z.string().trim().max(100).regex(NO_NUL, NO_NUL_ERROR).optional(),
        sort: z.enum(sorts).default(defaultSort as never),
        order: z.enum(SORT_ORDERS).default('desc'),
        cursor: z.string().max(512).optional(),
        limit: z.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT),
        ...(extra ?? ({} as TExtra)),
      })
      // Every field is optional or defaulted, so `{}` is valid (list-without-input.test.ts).
      .prefault({} as never)
  )
}
