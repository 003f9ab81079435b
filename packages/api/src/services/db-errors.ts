import { InvalidCursorError, uniqueViolation } from '@fms/db'
import { AppError, notFound } from '../errors.ts'

export type ConflictFields = Record<string, { field: string; message: string }>

/**
 * Runs a write and turns a unique violation into a CONFLICT naming the field (constraint name ->
 * field), and an invalid list cursor into BAD_REQUEST.
 */
export async function mapDbErrors<T>(
  promise: Promise<T>,
  conflicts: ConflictFields = {},
): Promise<T> {
  try {
    return await promise
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new AppError('BAD_REQUEST', 'Invalid cursor', {
        fieldErrors: { cursor: ['Invalid cursor'] },
      })
    }
    const constraint = uniqueViolation(error)
    if (constraint === null) throw error
    const match = Object.entries(conflicts).find(([name]) => constraint.endsWith(name))?.[1]
    const message = match?.message ?? 'Already exists'
    throw new AppError('CONFLICT', message, {
      ...(match ? { fieldErrors: { [match.field]: [message] } } : {}),
      cause: error,
    })
  }
}

/** Awaits a lookup that returns null for "not in this organization" and throws NOT_FOUND then. */
export async function orNotFound<T>(promise: Promise<T | null>, what: string): Promise<T> {
  const value = await promise
  if (value === null) throw notFound(what)
  return value
}
