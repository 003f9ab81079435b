import { randomUUID } from 'node:crypto'
import { type JWTPayload, jwtVerify, SignJWT } from 'jose'
import { AuthError } from './errors.ts'
import { isRole, type Role } from './roles.ts'

export interface AccessClaims {
  sub: string
  org: string
  role: Role
  /**
   * The session (refresh-token family) the token was issued to, so a revoked session's access
   * tokens can be refused at once. Absent in tokens issued before sessions carried it.
   */
  sid?: string
}

export interface JwtConfig {
  secret: string
  issuer?: string
  audience?: string
  accessTtlSec?: number
}

export interface JwtService {
  signAccessToken(claims: AccessClaims): Promise<{ token: string; expiresAt: Date }>
  /** The claims, with `exp` and `iat` (seconds; 0 when a token carries none). */
  verifyAccessToken(token: string): Promise<AccessClaims & { exp: number; iat: number }>
}

const ALGORITHM = 'HS256'
/** RFC 9068 §2.1: access tokens carry `typ: at+jwt`, so no other JWT can pass as one. */
const ACCESS_TOKEN_TYPE = 'at+jwt'
const MIN_SECRET_LENGTH = 32
const CLOCK_TOLERANCE_SEC = 5
/** Far above any token we issue; stops huge strings before they are decoded. */
const MAX_TOKEN_LENGTH = 4096
/**
 * The only header parameters we issue. Anything else (`kid`, `jku`, `x5u`, `jwk`, `x5c`, `crit`,
 * `b64`, ...) means the token was not made here, so it is refused even with a valid signature.
 */
const ALLOWED_HEADER_PARAMS = new Set(['alg', 'typ'])

const DEFAULTS = { issuer: 'fms', audience: 'fms-api', accessTtlSec: 900 } as const

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0
}

function readClaims(payload: JWTPayload): (AccessClaims & { exp: number; iat: number }) | null {
  const { sub, org, role, exp, iat, sid } = payload
  if (!isNonEmptyString(sub) || !isNonEmptyString(org) || !isRole(role)) return null
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return null
  if (sid !== undefined && !isNonEmptyString(sid)) return null
  return {
    sub,
    org,
    role,
    exp,
    iat: typeof iat === 'number' && Number.isFinite(iat) ? iat : 0,
    ...(sid === undefined ? {} : { sid }),
  }
}

/**
 * Issues and checks short-lived HS256 access tokens (RFC 8725, RFC 9068).
 * Throws at creation when the secret is shorter than 32 characters or the TTL is not a positive
 * whole number of seconds. Every verification failure is an `AuthError('INVALID_TOKEN')`.
 */
export function createJwtService(config: JwtConfig): JwtService {
  const { secret } = config
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`JWT secret must be at least ${MIN_SECRET_LENGTH} characters`)
  }
  const issuer = config.issuer ?? DEFAULTS.issuer
  const audience = config.audience ?? DEFAULTS.audience
  const ttlSec = config.accessTtlSec ?? DEFAULTS.accessTtlSec
  if (!Number.isSafeInteger(ttlSec) || ttlSec <= 0) {
    throw new Error('JWT access TTL must be a positive whole number of seconds')
  }
  const key = new TextEncoder().encode(secret)

  async function signAccessToken(claims: AccessClaims) {
    const { sub, org, role, sid } = claims
    if (!isNonEmptyString(sub) || !isNonEmptyString(org) || !isRole(role)) {
      throw new TypeError('Access token claims need a non-empty sub and org and a known role')
    }
    if (sid !== undefined && !isNonEmptyString(sid)) {
      throw new TypeError('An access token session id (sid) must be a non-empty string')
    }
    const issuedAt = Math.floor(Date.now() / 1000)
    const exp = issuedAt + ttlSec
    const token = await new SignJWT(sid === undefined ? { org, role } : { org, role, sid })
      .setProtectedHeader({ alg: ALGORITHM, typ: ACCESS_TOKEN_TYPE })
      .setSubject(sub)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(key)
    return { token, expiresAt: new Date(exp * 1000) }
  }

  async function verifyAccessToken(token: string) {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
      throw new AuthError('INVALID_TOKEN')
    }
    let verified: Awaited<ReturnType<typeof jwtVerify>>
    try {
      verified = await jwtVerify(token, key, {
        algorithms: [ALGORITHM],
        typ: ACCESS_TOKEN_TYPE,
        issuer,
        audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_SEC,
      })
    } catch {
      // jose's errors say why a token failed; callers only ever learn that it did.
      throw new AuthError('INVALID_TOKEN')
    }
    const headerParams = Object.keys(verified.protectedHeader)
    const claims = readClaims(verified.payload)
    if (!claims || headerParams.some((name) => !ALLOWED_HEADER_PARAMS.has(name))) {
      throw new AuthError('INVALID_TOKEN')
    }
    return claims
  }

  return { signAccessToken, verifyAccessToken }
}
