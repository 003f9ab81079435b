import { isTRPCClientError } from '@trpc/client'
import { z } from 'zod'

export type TFieldErrors = Partial<Record<string, string[]>>

const ZServerErrorData = z.object({
  fieldErrors: z.record(z.string(), z.array(z.string())),
})

/** Field errors the server attached to a tRPC error (`data.fieldErrors`), if any. */
export function readServerFieldErrors(error: unknown): TFieldErrors {
  if (!isTRPCClientError(error)) return {}
  const parsed = ZServerErrorData.safeParse(error.data)
  return parsed.success ? parsed.data.fieldErrors : {}
}

/** One sentence for the form's alert. */
export function readFormError(error: unknown): string {
  if (Object.keys(readServerFieldErrors(error)).length > 0)
    return 'Please correct the fields below.'
  if (isTRPCClientError(error)) {
    return error.data ? error.message : 'Cannot reach the server. Please try again.'
  }
  return 'Something went wrong. Please try again.'
}
