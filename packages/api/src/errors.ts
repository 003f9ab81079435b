/**
 * The one error table of FMS: each code's HTTP status. Used by the tRPC procedures (trpc.ts maps
 * each code to its tRPC code) and by the raw HTTP handlers, so the same failure answers the same
 * way everywhere. Imports nothing: the ingestion handler reaches it as `@fms/api/errors` without
 * loading the router.
 */
export const APP_ERRORS = {
  BAD_REQUEST: { http: 400 },
  UNAUTHORIZED: { http: 401 },
  FORBIDDEN: { http: 403 },
  NOT_FOUND: { http: 404 },
  METHOD_NOT_ALLOWED: { http: 405 },
  CONFLICT: { http: 409 },
  /** The server is not set up for this (email is off). */
  PRECONDITION_FAILED: { http: 412 },
  PAYLOAD_TOO_LARGE: { http: 413 },
  UNSUPPORTED_MEDIA_TYPE: { http: 415 },
  TOO_MANY_REQUESTS: { http: 429 },
  SERVICE_UNAVAILABLE: { http: 503 },
  INTERNAL: { http: 500 },
} as const satisfies Record<string, { http: number }>

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
