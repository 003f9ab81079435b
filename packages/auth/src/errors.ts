/**
 * The only error type `@fms/auth` throws for authentication failures.
 *
 * Messages are deliberately generic: callers map `code` to a 401 and must never learn from the
 * message why a token or a credential was refused (RFC 8725 §3, OWASP authentication cheat sheet).
 */
export type AuthErrorCode = 'INVALID_TOKEN' | 'INVALID_CREDENTIALS'

const MESSAGES: Record<AuthErrorCode, string> = {
  INVALID_TOKEN: 'Invalid token',
  INVALID_CREDENTIALS: 'Invalid credentials',
}

export class AuthError extends Error {
  readonly code: AuthErrorCode

  constructor(code: AuthErrorCode) {
    super(MESSAGES[code])
    this.name = 'AuthError'
    this.code = code
  }
}
