import { InvalidCursorError, uniqueViolation } from '@fms/db'
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server'

/**
 * The one error table of FMS: each code's tRPC code and HTTP status. Used by the tRPC procedures
 * and by the raw HTTP handlers, so the same failure answers the same way everywhere.
 */
export const APP_ERRORS = {
  BAD_REQUEST: { trpc: 'BAD_REQUEST', http: 400 },
  UNAUTHORIZED: { trpc: 'UNAUTHORIZED', http: 401 },
  FORBIDDEN: { trpc: 'FORBIDDEN', http: 403 },
  NOT_FOUND: { trpc: 'NOT_FOUND', http: 404 },
  METHOD_NOT_ALLOWED: { trpc: 'METHOD_NOT_SUPPORTED', http: 405 },
  CONFLICT: { trpc: 'CONFLICT', http: 409 },
  PAYLOAD_TOO_LARGE: { trpc: 'PAYLOAD_TOO_LARGE', http: 413 },
  UNSUPPORTED_MEDIA_TYPE: { trpc: 'UNSUPPORTED_MEDIA_TYPE', http: 415 },
  TOO_MANY_REQUESTS: { trpc: 'TOO_MANY_REQUESTS', http: 429 },
  SERVICE_UNAVAILABLE: { trpc: 'SERVICE_UNAVAILABLE', http: 503 },
  INTERNAL: { trpc: 'INTERNAL_SERVER_ERROR', http: 500 },
} as const satisfies Record<string, { trpc: TRPC_ERROR_CODE_KEY; http: number }>

export type AppErrorCode = keyof typeof APP_ERRORS
export type FieldErrors = Record<string, string[]>

export class AppError extends Error {
  readonly code: AppErrorCode
  readonly fieldErrors: FieldErrors | undefined
  /** Seconds, for TOO_MANY_REQUESTS and SERVICE_UNAVAILABLE. */
  readonly retryAfterSec: number | undefined

  constructor(
    code: AppErrorCode,
    message: string,
    options: { fieldErrors?: FieldErrors; retryAfterSec?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.fieldErrors = options.fieldErrors
    this.retryAfterSec = options.retryAfterSec
  }

  get httpStatus(): number {
    return APP_ERRORS[this.code].http
  }
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what} not found`)
}

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
