import { AppError } from '../errors.ts'

/** A time this far ahead of the server's clock still counts as now (a browser's clock runs fast). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000

/**
 * Refuses a time in the future for a record of something that happened (an assignment, a
 * service, a fuel receipt), naming `field`; plans are not records.
 */
export function refuseFuture(time: number, field: string): void {
  if (time <= Date.now() + FUTURE_TOLERANCE_MS) return
  const message = 'Must not be in the future'
  throw new AppError('BAD_REQUEST', message, { fieldErrors: { [field]: [message] } })
}
